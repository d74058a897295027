"""Languages, locale selection and the language prefix every public URL carries.

The chosen language lives in the URL (/de/..., /ar/...), never in a cookie, so a link can be
shared in a language and a reader who only reads gets no cookie at all.
"""

from dataclasses import dataclass

from flask import Flask, current_app, g, request
from werkzeug.routing import BaseConverter, ValidationError


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str  # "ltr" or "rtl"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("de", "Deutsch", "ltr"),
        Language("en", "English", "ltr"),
        Language("ar", "العربية", "rtl"),
        Language("tr", "Türkçe", "ltr"),
        Language("uk", "Українська", "ltr"),
        Language("ru", "Русский", "ltr"),
        Language("fa", "فارسی", "rtl"),
    )
}


def enabled_languages() -> list[Language]:
    return [LANGUAGES[code] for code in current_app.config["LANGUAGES"]]


def best_language_for_request() -> str:
    codes = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(codes) or codes[0]


def select_locale() -> str:
    """Flask-Babel's locale selector: the URL prefix wins, Accept-Language decides otherwise."""
    return g.get("lang") or best_language_for_request()


class LanguageConverter(BaseConverter):
    """Matches only enabled language codes, so /xx/... is a plain 404."""

    def __init__(self, url_map, *args):
        super().__init__(url_map)
        self.regex = "[a-z]{2}"

    def to_python(self, value: str) -> str:
        if value not in current_app.config["LANGUAGES"]:
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LanguageConverter

    @app.url_value_preprocessor
    def pull_language(endpoint, values):
        if values and "lang" in values:
            g.lang = values.pop("lang")

    @app.url_defaults
    def add_language(endpoint, values):
        if "lang" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return
        values["lang"] = g.get("lang") or best_language_for_request()

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        code = str(get_locale())
        info = LANGUAGES.get(code, LANGUAGES["de"])
        return {
            "lang_code": info.code,
            "text_direction": info.direction,
            "languages": enabled_languages(),
            "language_names": {code: lang.native_name for code, lang in LANGUAGES.items()},
        }

    def root():
        """The bare address: Accept-Language picks the first page's language."""
        from flask import redirect, url_for

        response = redirect(url_for("public.index", lang=best_language_for_request()), code=302)
        response.vary.add("Accept-Language")
        return response

    app.add_url_rule("/", "root", root)
