"""Where publishing gets its tables: the analyses of `ncmd.analysis` over a snapshot."""


def analysis_for(snapshot):
    """The analysis of `snapshot` (close it when done)."""
    from ncmd.analysis import open_analysis

    return open_analysis(snapshot)


def theme_titles():
    """{theme name: title} of the declared themes."""
    from ncmd.analysis import themes

    return {theme.name: theme.title for theme in themes()}
