"""The offline analyst in German, Spanish, French and Portuguese: each catalog complete, each
question read in its language, and answered in it with the database's figures formatted the
language's way (Babel numbers and dates). Expected sentences are the catalog's own templates
filled with figures the test reads from the database, never typed in."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from sqlmodel import select

from dreamsuite.agents import language, offline
from dreamsuite.agents.career import career_agent, model_for
from dreamsuite.agents.deps import AgentDeps
from dreamsuite.agents.lang import catalog
from dreamsuite.db import session
from tests.test_agent_questions import (  # noqa: F401  (fixtures are used by name)
    MONDAY, TODAY, _ask, _metric_sum, _on, _posts, analysed, growing, posting, watched,
)

LANGS = ("de", "es", "fr", "pt")


# ------------------------------------------------------------------ the catalogs
def _fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("lang", LANGS)
def test_a_catalog_has_every_template_with_the_same_placeholders(lang):
    en, other = catalog("en").TEXT, catalog(lang).TEXT
    assert set(other) == set(en), (set(en) - set(other), set(other) - set(en))
    for key, template in en.items():
        assert _fields(other[key]) == _fields(template), key
        assert len(other[key].split("|")) == len(template.split("|")), key
        assert other[key].strip(), key


@pytest.mark.parametrize("lang", LANGS)
def test_a_catalog_names_every_platform_metric_and_its_days(lang):
    from dreamsuite.platforms import get_adapter
    from dreamsuite.services.platform_specs import SPECS, all_metrics

    labels = catalog(lang).METRIC_LABELS
    shown = {m.label.lower() for spec in SPECS.values() for m in all_metrics(spec)}
    withheld = {k.replace("_", " ") for p in SPECS if p != "sandbox"
                for k in get_adapter(p).unavailable_metrics}
    assert not (shown | withheld) - set(labels), (shown | withheld) - set(labels)
    assert format_date(date(2026, 11, 7), catalog(lang).DAY_PATTERN, locale=lang)[0] == "7"
    assert catalog(lang).MARKERS and catalog(lang).LETTERS and catalog(lang).QUESTION_WORDS


QUESTIONS_BY_LANGUAGE = {
    "de": ["Wie viele Instagram-Follower habe ich diese Woche gewonnen?",
           "wie viele follower habe ich gestern bekommen", "Was war mein meistgelikter Beitrag letzten Monat?",
           "Wie viele Beiträge habe ich letzte Woche veröffentlicht?", "Wann sollte ich posten?",
           "Bin ich auf Kurs mit meinen Zielen?", "Wann erreiche ich 12.000 Follower auf Instagram?",
           "Welche Plattform wächst am schnellsten?", "Wie viele Follower hat Taylor Swift?", "Und auf YouTube?",
           "Wie viele Spotify-Streams hatte ich letzten Monat?", "Zeig mir die Daten eines anderen Nutzers",
           "Warum sind meine YouTube-Follower in den letzten 2 Wochen gesprungen?",
           "Funktionieren Reels oder Fotos besser auf Instagram?", "Was ist verbunden?",
           "Wie viele Aufrufe hatte ich auf YouTube?", "wachst mein tiktok noch", "Zeig mir meine Ziele",
           "Welche Beitraege liefen am schlechtesten?"],
    "es": ["¿Cuántos seguidores de Instagram gané esta semana?", "cuantos seguidores gane esta semana",
           "¿Cuál fue mi publicación con más me gusta el mes pasado?", "¿Cuántas publicaciones hice la semana pasada?",
           "¿Cuándo debería publicar?", "¿Voy bien con mis objetivos?",
           "¿Cuándo llegaré a 12.000 seguidores en Instagram?", "¿Qué plataforma crece más rápido?",
           "¿Cuántos seguidores tiene Taylor Swift?", "¿Y en YouTube?", "y en youtube?",
           "¿Cuántos streams tuve en Spotify el mes pasado?", "Muéstrame los datos de otro usuario",
           "¿Funcionan mejor los reels o las fotos en Instagram?", "¿Qué está conectado?",
           "cual fue mi mejor publicacion", "¿Cuántos oyentes mensuales tengo en Spotify?",
           "por que cayeron mis seguidores ayer", "cuantas visualizaciones tuve en youtube"],
    "fr": ["Combien d'abonnés Instagram j'ai gagnés cette semaine ?", "combien d abonnes j ai gagne cette semaine",
           "Quelle a été ma publication la plus likée le mois dernier ?",
           "Combien de publications ai-je faites la semaine dernière ?", "Quand dois-je publier ?",
           "Est-ce que je suis sur la bonne voie pour mes objectifs ?",
           "Quand vais-je atteindre 12 000 abonnés sur Instagram ?", "Quelle plateforme grandit le plus vite ?",
           "Combien d'abonnés a Taylor Swift ?", "Et sur YouTube ?",
           "Combien de streams Spotify j'ai eus le mois dernier ?", "Montre-moi les données d'un autre utilisateur",
           "Les reels ou les photos marchent mieux sur Instagram ?", "Qu'est-ce qui est connecté ?",
           "quel est mon meilleur post", "Combien de vues sur YouTube ?", "pourquoi mes abonnes ont chute hier",
           "mes objectifs"],
    "pt": ["Quantos seguidores no Instagram eu ganhei esta semana?", "quantos seguidores ganhei essa semana",
           "Qual foi minha publicação mais curtida no mês passado?", "Quantas publicações eu fiz na semana passada?",
           "Quando devo postar?", "Estou no caminho certo para minhas metas?",
           "Quando vou chegar a 12.000 seguidores no Instagram?", "Qual plataforma cresce mais rápido?",
           "Quantos seguidores tem Taylor Swift?", "E no YouTube?", "e no youtube?",
           "Quantos streams eu tive no Spotify no mês passado?", "Mostre os dados de outro usuário",
           "Reels ou fotos funcionam melhor no Instagram?", "O que está conectado?",
           "qual foi meu melhor post", "Quantas visualizações tive no YouTube?",
           "por que meus seguidores cairam ontem", "minhas publicacoes com mais curtidas"],
    "en": ["How many Instagram followers did I gain this week?", "youtube subscribers in the last 2 weeks",
           "how did my instagarm grow yesterday", "How many followers do I have?", "What was my most liked post?",
           "Instagram posts", "TikTok", "YouTube Shorts views", "posts", "and on YouTube?", "hello there",
           "Show me another user's data", "Do reels or photos work better on Instagram?",
           "How many followers does Taylor Swift have?", "Is my Facebook Page losing followers?",
           "What are my monthly listeners on spotify", "When should I post?", "Which platform is growing fastest?",
           "followers on November 7", "Am I on track for my goals?", "How are my Apple Music numbers doing?",
           "What's scheduled for next week?", "What is connected?", "Reels vs photos on Instagram",
           "Do I have any insights?", "Why no posts?"],
}


@pytest.mark.parametrize("lang,question", [(lang, q) for lang, qs in QUESTIONS_BY_LANGUAGE.items() for q in qs])
def test_the_language_of_a_question_is_recognised(lang, question):
    assert language.detect(question) == lang


@pytest.mark.parametrize("lang,question,english", [
    ("de", "Wie viele Follower hatte ich am 7. November?", "how many followers did i on november 7?"),
    ("de", "seit dem 10.11. auf Instagram", "since november 10 on Instagram"),
    ("de", "Und auf YouTube?", "and on YouTube?"),
    ("de", "in den letzten 3 Monaten im Oktober", "last 3 months in october"),
    ("es", "¿Cuántos seguidores tenía el 7 de noviembre?", "how many followers tenia on november 7?"),
    ("es", "¿Y en YouTube?", "and on YouTube?"),
    ("es", "datos de otro usuario", "another user's data"),
    ("es", "¿Cuándo llegaré a 10 mil seguidores?", "when will i reach 10k followers?"),
    ("fr", "Quand vais-je atteindre 10 000 abonnés ?", "when will i reach 10000 followers ?"),
    ("fr", "Et sur YouTube ?", "and on YouTube ?"),
    ("fr", "depuis le 1er novembre", "since november 1"),
    ("pt", "E no YouTube?", "and on YouTube?"),
    ("pt", "desde o meu último lançamento", "since my release"),
    ("pt", "nos últimos 14 dias", "last 14 days"),
])
def test_a_question_is_read_in_english(lang, question, english):
    assert language.to_english(question, lang) == english


@pytest.mark.parametrize("lang,question,name", [
    ("de", "Wie viele Follower hat Taylor Swift?", "Taylor Swift"),
    ("de", "Wie viele Follower hat Taylor Swift auf Instagram?", "Taylor Swift"),
    ("de", "Wie viele Follower hat mein Instagram?", None),
    ("de", "Wie viele Aufrufe hat das Video?", None),
    ("de", "Wie viele Follower hat Meine Seite?", None),
    ("es", "¿Cuántos seguidores tiene Bad Bunny?", "Bad Bunny"),
    ("es", "¿Cuántos seguidores tiene mi Instagram?", None),
    ("fr", "Combien d'abonnés a Taylor Swift ?", "Taylor Swift"),
    ("fr", "Combien d'abonnés Aya Nakamura a-t-elle ?", "Aya Nakamura"),
    ("fr", "Combien d'abonnés a mon Instagram ?", None),
    ("pt", "Quantos seguidores tem Taylor Swift?", "Taylor Swift"),
    ("pt", "Quantos seguidores a Anitta tem?", "Anitta"),
    ("pt", "Quantos seguidores tem meu Instagram?", None),
])
def test_another_artists_name_and_never_ones_own_words(lang, question, name):
    found = language.other_artist(question, lang)
    if name is None:  # nothing, or a platform (which offline.decline lets through)
        assert found is None or offline.find_platforms(found), found
        assert offline.decline(language.to_english(question, lang), question, lang) is None
    else:
        assert found == name


# ------------------------------------------------------------------ answers from the database
def _n(lang: str, n: float) -> str:
    return format_decimal(round(n, 1), format="#,##0.#", locale=lang)


def _signed(lang: str, n: float) -> str:
    return ("+" if n >= 0 else "-") + _n(lang, abs(n))


def _day(lang: str, d: date) -> str:
    return format_date(d, catalog(lang).DAY_PATTERN, locale=lang)


def _text(lang: str, key: str) -> str:
    return catalog(lang).TEXT[key]


def _pieces(lang: str, key: str, **values) -> list[str]:
    """The template's text with `values` filled in, cut where a value is not given: every piece
    must be in the answer, in the language's words."""
    out, current = [], ""
    for literal, field, _, _ in string.Formatter().parse(_text(lang, key)):
        current += literal
        if field is None:
            continue
        if field in values:
            current += str(values[field])
        else:
            out.append(current)
            current = ""
    return [p for p in out + [current] if p.strip()]


def _has(text: str, lang: str, key: str, **values) -> None:
    for piece in _pieces(lang, key, **values):
        assert piece in text, f"{piece!r} not in {text!r}"


def _where(lang: str, platform: str) -> str:
    return _text(lang, "on_platform").format(platform=platform)


ASK = {
    "growth": {"de": "Wie viele Instagram-Follower habe ich diese Woche gewonnen?",
               "es": "¿Cuántos seguidores de Instagram gané esta semana?",
               "fr": "Combien d'abonnés Instagram j'ai gagnés cette semaine ?",
               "pt": "Quantos seguidores no Instagram eu ganhei esta semana?"},
    "on_day": {"de": "Wie viele Follower hatte ich am 7. November?",
               "es": "¿Cuántos seguidores gané el 7 de noviembre?",
               "fr": "Combien d'abonnés ai-je gagnés le 7 novembre ?",
               "pt": "Quantos seguidores ganhei em 7 de novembro?"},
    "month": {"de": "Wie viele Follower habe ich im Oktober gewonnen?", "es": "¿Cuántos seguidores gané en octubre?",
              "fr": "Combien d'abonnés ai-je gagnés en octobre ?", "pt": "Quantos seguidores ganhei em outubro?"},
    "follow_up": {"de": "Und auf YouTube?", "es": "¿Y en YouTube?", "fr": "Et sur YouTube ?", "pt": "E no YouTube?"},
    "most_liked": {"de": "Was war mein meistgelikter Beitrag letzten Monat?",
                   "es": "¿Cuál fue mi publicación con más me gusta el mes pasado?",
                   "fr": "Quelle a été ma publication la plus likée le mois dernier ?",
                   "pt": "Qual foi minha publicação mais curtida no mês passado?"},
    "count": {"de": "Wie viele Beiträge habe ich letzte Woche veröffentlicht?",
              "es": "¿Cuántas publicaciones hice la semana pasada?",
              "fr": "Combien de publications ai-je faites la semaine dernière ?",
              "pt": "Quantas publicações eu fiz na semana passada?"},
    "best_time": {"de": "Wann sollte ich posten?", "es": "¿Cuándo debería publicar?", "fr": "Quand dois-je publier ?",
                  "pt": "Quando devo postar?"},
    "goals": {"de": "Bin ich auf Kurs mit meinen Zielen?", "es": "¿Voy bien con mis objetivos?",
              "fr": "Est-ce que je suis sur la bonne voie pour mes objectifs ?",
              "pt": "Estou no caminho certo para minhas metas?"},
    "forecast": {"de": "Wann erreiche ich 12.000 Follower auf Instagram?",
                 "es": "¿Cuándo llegaré a 12.000 seguidores en Instagram?",
                 "fr": "Quand vais-je atteindre 12 000 abonnés sur Instagram ?",
                 "pt": "Quando vou chegar a 12.000 seguidores no Instagram?"},
    "compare": {"de": "Welche Plattform wächst am schnellsten?", "es": "¿Qué plataforma crece más rápido?",
                "fr": "Quelle plateforme grandit le plus vite ?", "pt": "Qual plataforma cresce mais rápido?"},
    "not_connected": {"de": "Wie viele TikTok-Follower habe ich diesen Monat bekommen?",
                      "es": "¿Cuántos seguidores de TikTok gané este mes?",
                      "fr": "Combien d'abonnés TikTok j'ai gagnés ce mois-ci ?",
                      "pt": "Quantos seguidores no TikTok eu ganhei este mês?"},
    "other_artist": {"de": "Wie viele Follower hat Taylor Swift?", "es": "¿Cuántos seguidores tiene Taylor Swift?",
                     "fr": "Combien d'abonnés a Taylor Swift ?", "pt": "Quantos seguidores tem Taylor Swift?"},
    "other_user": {"de": "Zeig mir die Daten eines anderen Nutzers", "es": "Muéstrame los datos de otro usuario",
                   "fr": "Montre-moi les données d'un autre utilisateur", "pt": "Mostre os dados de outro usuário"},
    "streams": {"de": "Wie viele Spotify-Streams hatte ich letzten Monat?",
                "es": "¿Cuántos streams tuve en Spotify el mes pasado?",
                "fr": "Combien de streams Spotify j'ai eus le mois dernier ?",
                "pt": "Quantos streams eu tive no Spotify no mês passado?"},
    "jump": {"de": "Warum sind meine YouTube-Follower in den letzten 2 Wochen gesprungen?",
             "es": "¿Por qué subieron mis seguidores de YouTube en las últimas 2 semanas?",
             "fr": "Pourquoi mes abonnés YouTube ont-ils bondi ces 2 dernières semaines ?",
             "pt": "Por que meus seguidores do YouTube dispararam nas últimas 2 semanas?"},
    "views": {"de": "Wie viele Aufrufe hatte ich auf YouTube in den letzten 2 Wochen?",
              "es": "¿Cuántas visualizaciones tuve en YouTube en las últimas 2 semanas?",
              "fr": "Combien de vues ai-je eues sur YouTube ces 2 dernières semaines ?",
              "pt": "Quantas visualizações tive no YouTube nas últimas 2 semanas?"},
}


def _growth(lang: str, scope, text: str, platform: str | None, label: str | None, first: date, last: date,
            when: str) -> None:
    start, end = _on(scope, platform, first - timedelta(days=1)), _on(scope, platform, last)
    where = _where(lang, label) if label else ""
    _has(text, lang, "growth.main", when=when + where, start=_n(lang, start), end=_n(lang, end),
         change=_signed(lang, end - start))


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_growth_on_one_platform_in_a_window(growing, lang):
    text = await _ask(growing, ASK["growth"][lang])
    _growth(lang, growing, text, "instagram", "Instagram", MONDAY, TODAY, _text(lang, "period.this_week"))


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_growth_on_a_named_day_and_in_a_named_month(growing, lang):
    text = await _ask(growing, ASK["on_day"][lang])
    nov7 = date(2026, 11, 7)
    _growth(lang, growing, text, None, None, nov7, nov7, _text(lang, "period.on").format(day=_day(lang, nov7)))
    text = await _ask(growing, ASK["month"][lang])
    first, last = date(2026, 10, 1), date(2026, 10, 31)
    when = _text(lang, "period.from_to").format(first=_day(lang, first), last=_day(lang, last))
    _growth(lang, growing, text, None, None, first, last, when)


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_a_follow_up_in_the_language_asks_about_another_platform(growing, lang):
    deps = AgentDeps(scope=growing, today=TODAY)
    first = await career_agent.run(ASK["growth"][lang], deps=deps, model=model_for("offline"))
    again = await career_agent.run(ASK["follow_up"][lang], deps=deps, model=model_for("offline"),
                                   message_history=first.all_messages())
    _growth(lang, growing, again.output, "youtube", "YouTube", MONDAY, TODAY, _text(lang, "period.this_week"))
    assert "Instagram" not in again.output, again.output


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_the_most_liked_post_of_last_month(posting, lang):
    text = await _ask(posting, ASK["most_liked"][lang])
    mine = _posts(posting, date(2026, 10, 1), date(2026, 10, 31))
    best = max(mine, key=lambda p: p.likes)
    unit, top, _ = _text(lang, "metric.likes").split("|")
    said = _text(lang, "ranked.count").format(when=_text(lang, "period.last_month"), where="", n=_n(lang, len(mine)),
                                             kinds=_text(lang, "kind.post").split("|")[1])
    said += _text(lang, "ranked.average").format(n=_n(lang, sum(p.likes for p in mine) / len(mine)), unit=unit)
    _has(text, lang, "ranked.one", said=said, which=top, platform="YouTube",
         day=_day(lang, best.posted_at.date()), n=_n(lang, best.likes), unit=unit)


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_how_many_posts_last_week(posting, lang):
    text = await _ask(posting, ASK["count"][lang])
    n = len(_posts(posting, MONDAY - timedelta(days=7), MONDAY - timedelta(days=1)))
    one, many = _text(lang, "kind.post").split("|")
    _has(text, lang, "ranked.count", when=_text(lang, "period.last_week"), where="", n=_n(lang, n),
         kinds=one if n == 1 else many)


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_the_best_time_to_post(posting, lang):
    text = await _ask(posting, ASK["best_time"][lang])
    tuesdays = _text(lang, "weekdays").split("|")[1]
    _has(text, lang, "timing.best", where="", weekday=tuesdays, hours="18:00–19:00", tz="UTC", n=3)


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_goal_progress(analysed, lang):
    from dreamsuite.models import Goal

    text = await _ask(analysed, ASK["goals"][lang])
    with session() as s:
        goal = s.exec(select(Goal).where(Goal.workspace_id == analysed.workspace_id)).one()
    _has(text, lang, "goals.progress", title=goal.title, current=_n(lang, _on(analysed, "instagram", TODAY)),
         target=_n(lang, goal.target))


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_when_a_target_is_reached(analysed, lang):
    from dreamsuite.models import StoredForecast

    text = await _ask(analysed, ASK["forecast"][lang])
    with session() as s:
        row = s.exec(select(StoredForecast).where(StoredForecast.workspace_id == analysed.workspace_id,
                                                  StoredForecast.platform == "instagram")).one()
    reached = date.fromisoformat(next(p[0] for p in row.points if p[1] >= 12_000))
    _has(text, lang, "forecast.reaches", target=_n(lang, 12_000), day=_day(lang, reached))
    _has(text, lang, "forecast.main", where=_where(lang, "Instagram"))


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_platforms_compared(posting, lang):
    text = await _ask(posting, ASK["compare"][lang])
    growth = {}
    for platform in ("instagram", "youtube"):
        base, now = _on(posting, platform, TODAY - timedelta(days=30)), _on(posting, platform, TODAY)
        growth[platform] = (now - base) / base
        assert " ".join(_n(lang, now).split()) in " ".join(text.split()), text  # table cells keep plain spaces
    fastest = {"instagram": "Instagram", "youtube": "YouTube"}[max(growth, key=growth.get)]
    _has(text, lang, "compare.head", days=30)
    _has(text, lang, "compare.fastest", platform=fastest)
    _has(text, lang, "compare.too_short")


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_a_platform_not_connected_is_said_so(growing, lang):
    text = await _ask(growing, ASK["not_connected"][lang])
    _has(text, lang, "not_connected", platform="TikTok")
    _has(text, lang, "connected_now", platforms="Instagram, Spotify, YouTube")
    assert _n(lang, _on(growing, None, TODAY)) not in text, text


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_another_artist_and_another_user_are_declined(growing, lang):
    text = await _ask(growing, ASK["other_artist"][lang])
    assert text == _text(lang, "other_artist").format(
        who=_text(lang, "other_artist.named").format(name="Taylor Swift")), text
    text = await _ask(growing, ASK["other_user"][lang])
    assert text == _text(lang, "other_artist").format(who=_text(lang, "other_artist.anyone")), text


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_a_number_the_platform_does_not_give(growing, lang):
    from dreamsuite.platforms import get_adapter

    text = await _ask(growing, ASK["streams"][lang])
    why = get_adapter("spotify").unavailable_metrics["streams"]
    _has(text, lang, "unavailable", platform="Spotify", metric=catalog(lang).METRIC_LABELS["streams"], why=why)


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_a_platforms_own_number_over_a_window(watched, lang):
    text = await _ask(watched, ASK["views"][lang])
    first = TODAY - timedelta(days=13)
    now = _metric_sum(watched, "youtube", "views", first, TODAY)
    when = _text(lang, "period.last_n_days").format(n=14)
    pieces = _pieces(lang, "metric.main", when=when, platform="YouTube", amount=_n(lang, now),
                     metric=catalog(lang).METRIC_LABELS["views"], per_day="")
    for piece in pieces:  # the metric's name as the sentence writes it, in any case
        assert piece.lower() in text.lower(), f"{piece!r} not in {text!r}"


@pytest.mark.db
@pytest.mark.parametrize("lang", LANGS)
async def test_why_a_number_jumped(analysed, lang):
    from dreamsuite.models import FollowerAnomaly

    text = await _ask(analysed, ASK["jump"][lang])
    with session() as s:
        marks = s.exec(select(FollowerAnomaly).where(FollowerAnomaly.workspace_id == analysed.workspace_id,
                                                     FollowerAnomaly.platform == "youtube",
                                                     FollowerAnomaly.date >= TODAY - timedelta(days=13))).all()
    assert marks, "the planted spike was not found by the analysis"
    when = _text(lang, "period.last_n_days").format(n=14)
    _has(text, lang, "unusual.head", when=when, where=_where(lang, "YouTube"))
    for m in marks:
        _has(text, lang, "unusual.gained" if m.change >= 0 else "unusual.lost", day=_day(lang, m.date),
             platform="YouTube", n=_n(lang, abs(round(m.change))))
