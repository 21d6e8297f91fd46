"""Streaming reads of list XML: the records under a known root, each cleared once handled.

The parser never loads a DTD, resolves no entity (an external entity stays an unexpanded node) and
reaches no network; `huge_tree` stays off. XML syntax errors, truncation included, become one
`ListFormatError` with the line where parsing stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from tradewire.ingest.lists.errors import ListFormatError


def local(tag: object) -> str:
    """An element's tag without its namespace; '' for comments, entities and processing instructions."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def records(stream: BinaryIO, list_name: str, format_name: str, root: str, record_tags: frozenset[str]) -> Iterator[etree._Element]:
    """Each complete element named in `record_tags` of a document whose root is `root` (namespaces ignored)."""
    events = etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True,
    )
    depth = 0
    element: etree._Element | None = None
    try:
        for event, element in events:
            if event == "start":
                if depth == 0 and local(element.tag) != root:
                    raise ListFormatError(list_name, format_name, f"line {element.sourceline}",
                                          f"root element <{local(element.tag)}>, expected <{root}>")
                depth += 1
                continue
            depth -= 1
            if local(element.tag) in record_tags:
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        line = error.lineno or (element.sourceline if element is not None else None)
        raise ListFormatError(list_name, format_name, f"line {line}", f"not well-formed XML ({error.msg})") from None
    if depth == 0 and element is None:
        raise ListFormatError(list_name, format_name, "line 1", "empty file")


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child.tag) == name]


def descendants(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element.iter() if local(child.tag) == name]


def text(element: etree._Element | None, name: str | None = None) -> str:
    """The stripped text of `element` (or of its first child called `name`); '' when absent."""
    if element is not None and name is not None:
        element = next((child for child in element if local(child.tag) == name), None)
    if element is None or element.text is None:
        return ""
    return " ".join(element.text.split())


def texts(element: etree._Element, name: str) -> list[str]:
    """The texts of every descendant called `name`, empty ones left out."""
    return [value for child in descendants(element, name) if (value := text(child))]
