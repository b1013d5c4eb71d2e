"""Secondary use of the data: researchers' applications, their review against the Five Safes,
minimised pseudonymised extracts with a disclosure risk check, and output checking."""
