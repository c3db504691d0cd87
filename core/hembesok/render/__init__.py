"""Plans, explanations and problems written for people and machines."""
