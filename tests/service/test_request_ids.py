"""Request ids: a plain token sent is kept; anything else is replaced, never cleaned."""

import uuid

import pytest

from hembesok.service.request_ids import MAX_LENGTH, request_id


@pytest.mark.parametrize(
    "sent",
    [b"abc-123", b"0f8fad5b-d9cb-469f-a165-70867728950e", b"Root=1-5759e988-bd862e3f", b"a" * 128],
)
def test_a_plain_token_is_kept(sent):
    assert request_id(sent) == sent.decode()


@pytest.mark.parametrize(
    "sent",
    [
        None,
        b"",
        b"a" * (MAX_LENGTH + 1),
        b"two words",
        b"line\r\nbreak",
        b"semi;colon",
        "å".encode(),
    ],
)
def test_anything_else_is_replaced_by_a_new_uuid4(sent):
    made = request_id(sent)
    assert uuid.UUID(made).version == 4
    assert made != request_id(sent)  # new each time
