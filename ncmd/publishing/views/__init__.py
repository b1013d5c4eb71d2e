"""Public statistics pages (no sign-in) and the portal's reports and releases pages."""
