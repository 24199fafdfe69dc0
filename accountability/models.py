"""Models of the accountability app."""
