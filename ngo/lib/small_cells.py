"""The small-cell rule shared by the shadow-report statistics and the charts:
a count of people or events below k is never published as such."""

MIN_CELL_SIZE = 3
DEFAULT_CELL_SIZE = 5
