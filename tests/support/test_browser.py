"""The screenshot helper reads what Chromium drew: a known rectangle comes back in its colour."""

from pathlib import Path


def test_screenshot_sees_a_drawn_rectangle(tmp_path: Path, screenshot) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<html><body style="margin:0;background:#fff"><svg width="400" height="200">'
        '<rect x="0" y="0" width="200" height="100" fill="#1f77b4"/></svg></body></html>',
        encoding="utf-8",
    )
    picture = screenshot(page, tmp_path / "shot.png", width=400, height=300)
    assert (picture.width, picture.height) == (400, 300)
    assert picture.count_near((0x1F, 0x77, 0xB4), tolerance=2) >= 200 * 100 * 0.95
    assert picture.rows[150][300] == (255, 255, 255)
