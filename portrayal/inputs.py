"""The input contract shared by the library, the CLI and HTTP."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .segment import Sentence, split_sentences

MAX_TEXT_CHARS = 100_000      # about 15,000 words: longer than any news article
MAX_SENTENCES = 2_000
MAX_SENTENCE_CHARS = 10_000
ARTICLE_FIELDS = ("id", "text", "sentences")


@dataclass(frozen=True)
class ArticleInput:
    """A validated article: `text` (with `split`, its sentences) or already split `sentences`."""

    id: str | int | None
    text: str | None = None
    sentences: tuple[str, ...] | None = None
    split: tuple[Sentence, ...] = ()


def parse_article(obj, where: str = "") -> ArticleInput:
    """Validate one article object: {"id", "text"} or {"id", "sentences"}; `where` prefixes field names."""
    if not isinstance(obj, dict):
        raise InputError(f"an article must be a JSON object, got {type(obj).__name__}", where or None)
    unknown = sorted(set(obj) - set(ARTICLE_FIELDS))
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(ARTICLE_FIELDS)}",
                         f"{where}{unknown[0]}")
    article_id = obj.get("id")
    if article_id is not None and (isinstance(article_id, bool) or not isinstance(article_id, (str, int))):
        raise InputError("id must be a string or an integer", f"{where}id")
    has_text, has_sentences = "text" in obj, "sentences" in obj
    if has_text == has_sentences:
        raise InputError("give exactly one of text (the article) or sentences (already split)",
                         f"{where}text")
    if has_text:
        text = obj["text"]
        if not isinstance(text, str) or not text.strip():
            raise InputError("text must be a non-empty string", f"{where}text")
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(f"text is {len(text)} characters; the limit is {MAX_TEXT_CHARS}", f"{where}text")
        # Split here, so that a text of more sentences than an article may hold is refused like any
        # other bad input (and per record, in `stance score` and batch jobs).
        try:
            split = tuple(split_sentences(text, MAX_SENTENCES))
        except InputError as error:
            raise InputError(error.message, f"{where}text") from error
        return ArticleInput(article_id, text=text, split=split)
    sentences = obj["sentences"]
    if not isinstance(sentences, list) or not sentences:
        raise InputError("sentences must be a non-empty list of strings", f"{where}sentences")
    if len(sentences) > MAX_SENTENCES:
        raise InputError(f"{len(sentences)} sentences; the limit is {MAX_SENTENCES}", f"{where}sentences")
    for i, sentence in enumerate(sentences):
        if not isinstance(sentence, str) or not sentence.strip():
            raise InputError("every sentence must be a non-empty string", f"{where}sentences[{i}]")
        if len(sentence) > MAX_SENTENCE_CHARS:
            raise InputError(f"sentence is {len(sentence)} characters; the limit is {MAX_SENTENCE_CHARS}",
                             f"{where}sentences[{i}]")
    return ArticleInput(article_id, sentences=tuple(sentences))
