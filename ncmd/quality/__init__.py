"""Data quality: declarative indicators computed over a snapshot, benchmarked across CDOPs with
funnel plots, followed over time with SPC charts, shown on each CDOP's dashboard with a worklist
of the records to fix, and sent to each CDOP as a monthly bulletin."""
