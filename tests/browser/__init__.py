"""The built site, checked in a real browser (headless Chromium)."""
