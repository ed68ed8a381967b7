"""StreamField blocks of a knowledge article (Wissensbeitrag)."""

import nh3
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

INLINE_FEATURES = ["bold", "italic", "link", "document-link"]

# Wagtail's stored rich text format: our features, plus internal-link attributes. The one
# allow-list for rich text, whether written in the admin or converted from Markdown.
RICH_TEXT_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li", "code"}
RICH_TEXT_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_rich_text(value):
    """Allow-list cleaning of stored rich text (scripts, handlers, javascript: URLs removed)."""
    if not isinstance(value, str):
        return value
    return nh3.clean(
        value,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text that is sanitised whenever it is loaded, whatever wrote it.

    The admin editor only produces allowed markup, but content can also arrive through imports,
    data migrations or the shell; scripts, event handlers and javascript: URLs never render.
    """

    def to_python(self, value):
        return super().to_python(sanitize_rich_text(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([sanitize_rich_text(value) for value in values])


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Überschrift", max_length=200)
    level = blocks.ChoiceBlock(
        label="Ebene",
        choices=[("h2", "Abschnitt (H2)"), ("h3", "Unterabschnitt (H3)")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Überschrift"
        template = "kb/blocks/heading.html"


class ListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        label="Art",
        choices=[("bullet", "Aufzählung"), ("numbered", "Nummerierte Liste")],
        default="bullet",
    )
    items = blocks.ListBlock(blocks.CharBlock(label="Punkt", max_length=2000), label="Punkte")

    class Meta:
        icon = "list-ul"
        label = "Liste"
        template = "kb/blocks/list.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label="Art",
        choices=[("praxistipp", "Praxistipp"), ("lessons", "Lessons learned")],
        default="praxistipp",
    )
    text = SafeRichTextBlock(label="Text", features=INLINE_FEATURES)

    class Meta:
        icon = "tip"
        label = "Praxistipp / Lessons learned"
        template = "kb/blocks/callout.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Bild")
    caption = blocks.CharBlock(label="Bildunterschrift", required=False, max_length=300)
    alt_text = blocks.CharBlock(
        label="Alternativtext",
        required=False,
        max_length=300,
        help_text="Beschreibt das Bild für Screenreader; leer lassen, wenn es nur Schmuck ist.",
    )

    class Meta:
        icon = "image"
        label = "Bild"
        template = "kb/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Dokument")
    title = blocks.CharBlock(label="Linktext", required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = "Dokument / Anhang"
        template = "kb/blocks/document.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Zitat")
    source = blocks.CharBlock(label="Quelle", required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = "Zitat"
        template = "kb/blocks/quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = SafeRichTextBlock(
        label="Absatz", features=[*INLINE_FEATURES, "ol", "ul"], icon="pilcrow"
    )
    list = ListBlock()
    callout = CalloutBlock()
    table = TableBlock(label="Tabelle", template="kb/blocks/table.html")
    image = ImageBlock()
    document = DocumentBlock()
    quote = QuoteBlock()
