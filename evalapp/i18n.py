"""Interface language: the visitor's choice, else Accept-Language, else zh_CN."""

from __future__ import annotations

from flask import current_app, g, request, session

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
SESSION_KEY = "language"


def supported() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    chosen = session.get(SESSION_KEY)
    if chosen in supported():
        return chosen
    # Accept-Language says zh-CN, zh, en-US...; match on the primary tag too.
    offered = {"zh": "zh_CN", "zh-cn": "zh_CN", "zh_cn": "zh_CN", "en": "en"}
    for language, _quality in request.accept_languages:
        tag = language.lower()
        match = offered.get(tag) or offered.get(tag.split("-")[0])
        if match in supported():
            return match
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The request's language code as configured (``zh_CN`` or ``en``)."""
    if "language" not in g:
        g.language = select_locale()
    return g.language


def remember(language: str) -> bool:
    """Keep the visitor's choice in their session; False for an unsupported language."""
    if language not in supported():
        return False
    session[SESSION_KEY] = language
    return True
