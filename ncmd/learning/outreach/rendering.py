"""Message bodies are written in Markdown (plain text is valid Markdown) and rendered to HTML
safely: raw HTML in the text is shown as text, never interpreted, and only http, https and
mailto links are kept, so a message cannot carry a script or a disguised link."""

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _SafeLinks(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if element.tag == "a":
                href = element.get("href", "").strip()
                if not href.lower().startswith(SAFE_SCHEMES):
                    element.attrib.pop("href", None)
                else:
                    element.set("rel", "noopener noreferrer")
            elif element.tag == "img":
                # Images from elsewhere would track who opens the e-mail: show the text instead.
                element.tag = "span"
                element.text = element.get("alt", "")
                element.attrib.clear()


class _EscapeHtml(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "ncmd_safe_links", 0)


def render_markdown(text):
    """The body as safe HTML."""
    return markdown.markdown(text, extensions=[_EscapeHtml(), "sane_lists"], output_format="html")
