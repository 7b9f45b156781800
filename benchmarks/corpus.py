"""A deterministic corpus of threads, written four ways: site-builder, Hugo, Pelican, Eleventy.

The same seed and count always give the same bytes, so timings taken on different days or
machines compare like with like. Each thread is ~480 words of French-like text in 3-12 tweets
separated by `***`, with 1-4 tags from a pool of ~150, a date in 2015-2025, and now and then
a heading, a link, a list or a fenced Python block.

    python benchmarks/corpus.py 1000 benchmarks/.work/sites/1000

writes `site-builder/`, `hugo/`, `pelican/` and `eleventy/` under the destination.
"""

# ruff: noqa: E501  (the Hugo templates below keep their HTML on one line per element)

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = 20250926
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
PER_PAGE = 10
FEED_ITEMS = 20

# Frequent short words, drawn often, as in running French text.
FUNCTION_WORDS = """le la les de des du un une et en à au aux est sont que qui dans pour pas sur
avec plus ce cette ces il elle on nous vous ils mais ou se son sa ses leur leurs par comme tout
très aussi bien sans sous entre encore déjà toujours après avant depuis donc car quand où ne y
même autre chaque peu moins trop alors ainsi""".split()

CONTENT_WORDS = """industrie usine énergie nucléaire électricité réseau acier aluminium ciment
chantier ingénieur ouvrier machine outil production chaîne logistique port conteneur navire
fret rail train ligne tunnel pont barrage centrale réacteur turbine éolienne panneau solaire
batterie lithium cobalt nickel cuivre minerai mine raffinerie pétrole gaz charbon hydrogène
carbone émission climat chaleur froid pompe moteur voiture camion avion satellite fusée lanceur
spatial orbite radar capteur puce semi-conducteur silicium fonderie gravure lithographie
logiciel code serveur données calcul modèle réseau fibre câble antenne téléphone écran usage
marché prix coût budget subvention impôt dette croissance salaire emploi métier formation école
université recherche laboratoire brevet innovation startup entreprise groupe filiale fournisseur
client contrat commande export import douane frontière souveraineté stratégie politique état
gouvernement ministre député loi décret norme règle contrôle sécurité défense armée marine
munition obus char drone missile alliance traité guerre paix crise pénurie stock réserve
capacité rendement efficacité productivité qualité délai retard échec succès risque pari choix
décision question réponse problème solution exemple chiffre tonne mégawatt gigawatt kilomètre
année décennie siècle histoire avenir projet plan programme objectif résultat bilan rapport
étude analyse fil tweet lecture débat opinion argument preuve source article graphique carte
France Europe Chine Japon Allemagne Corée Inde Taïwan Russie Amérique Afrique Brésil Lyon
Marseille Grenoble Toulouse Dunkerque Fos Flamanville Paris Bruxelles Pékin Shenzhen Shanghai
grand petit nouveau ancien premier dernier long court lourd léger rapide lent cher bon mauvais
fort faible public privé national européen mondial local technique industriel énergétique
économique militaire civil simple complexe rare massif discret réel possible nécessaire
construire produire fabriquer vendre acheter investir financer importer exporter livrer
fermer ouvrir lancer réussir rater comprendre expliquer montrer compter mesurer comparer
réduire augmenter doubler tripler attendre décider perdre gagner garder changer remplacer
""".split()

TAG_NOUNS = """industrie énergie nucléaire électricité acier aluminium ciment chimie
semi-conducteurs spatial défense aéronautique automobile ferroviaire naval logistique ports
batteries hydrogène pétrole gaz charbon minerais métaux terres-rares éolien solaire
hydraulique réseau climat chine japon corée inde taïwan allemagne europe états-unis russie
afrique brésil souveraineté politique-industrielle subventions commerce douanes emploi
formation recherche brevets innovation startups finance dette histoire géographie""".split()

TAG_QUALIFIERS = ["en France", "en Chine", "européen", "mondial", "histoire", "chiffres",
                  "stratégie", "coûts", "pénuries", "innovation"]

TAG_POOL_SIZE = 150

CODE_SNIPPETS = [
    '''def rendement(energie_utile: float, energie_totale: float) -> float:
    """Part de l'énergie qui sert vraiment."""
    if energie_totale <= 0:
        raise ValueError("énergie totale nulle")
    return energie_utile / energie_totale


print(f"{rendement(38.0, 100.0):.0%}")''',
    '''import csv
from collections import Counter

compte = Counter()
with open("production.csv", encoding="utf-8") as fichier:
    for ligne in csv.DictReader(fichier):
        compte[ligne["pays"]] += float(ligne["tonnes"])
for pays, tonnes in compte.most_common(5):
    print(pays, round(tonnes / 1e6, 1), "Mt")''',
    '''CAPACITES = {"Flamanville": 1650, "Penly": 1330, "Gravelines": 5460}

def facteur_de_charge(mwh_produits: float, mw: float, heures: int = 8760) -> float:
    return mwh_produits / (mw * heures)

for site, mw in sorted(CAPACITES.items()):
    print(site, f"{facteur_de_charge(mw * 6000, mw):.2f}")''',
    '''class Usine:
    def __init__(self, nom, capacite_t):
        self.nom = nom
        self.capacite_t = capacite_t
        self.production = []

    def produire(self, tonnes):
        self.production.append(min(tonnes, self.capacite_t))
        return sum(self.production)''',
]


@dataclass(frozen=True, slots=True)
class Thread:
    day: dt.date
    title: str
    slug: str
    tags: tuple[str, ...]
    tweets: tuple[str, ...]  # Markdown of each tweet

    @property
    def file_name(self) -> str:
        return f"{self.day.isoformat()}-{self.slug}.md"

    @property
    def body(self) -> str:
        return "\n\n***\n\n".join(self.tweets) + "\n"


def ascii_slug(text: str) -> str:
    """Accents folded, lowercase, dashes: close to what all three generators make of a title."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


class Writer:
    """Draws words, sentences, tweets and threads from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tags = self._tag_pool()
        # A few tags are on many threads, most on few: as in a real archive.
        self.tag_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.tags))]

    def _tag_pool(self) -> list[str]:
        pool = list(dict.fromkeys(TAG_NOUNS))
        combos = [f"{noun} {qualifier}" for noun in TAG_NOUNS for qualifier in TAG_QUALIFIERS]
        self.rng.shuffle(combos)
        pool += combos[: TAG_POOL_SIZE - len(pool)]
        self.rng.shuffle(pool)
        return pool

    def word(self) -> str:
        if self.rng.random() < 0.42:
            return self.rng.choice(FUNCTION_WORDS)
        return self.rng.choice(CONTENT_WORDS)

    def words(self, count: int) -> list[str]:
        return [self.word() for _ in range(count)]

    def sentence(self, count: int, links: bool = True) -> str:
        words = self.words(count)
        if count > 6 and self.rng.random() < 0.25:
            words[self.rng.randrange(2, count - 2)] += ","
        if links and count > 4 and self.rng.random() < 0.08:
            at = self.rng.randrange(1, count - 2)
            href = f"https://example.org/{ascii_slug(words[at])}/{self.rng.randrange(1000, 9999)}"
            words[at] = f"[{words[at]} {words[at + 1]}]({href})"
            del words[at + 1]
        elif count > 3 and self.rng.random() < 0.1:
            at = self.rng.randrange(1, count - 1)
            mark = self.rng.choice(("*", "**"))
            words[at] = f"{mark}{words[at]}{mark}"
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice(".......?!…")

    def paragraph(self, budget: int) -> tuple[str, int]:
        """Sentences up to about `budget` words; returns the text and the words used."""
        sentences, used = [], 0
        while used < budget:
            count = min(max(4, budget - used), self.rng.randint(6, 20))
            sentences.append(self.sentence(count))
            used += count
        return " ".join(sentences), used

    def tweet(self, budget: int, code: bool) -> str:
        blocks: list[str] = []
        if self.rng.random() < 0.08:
            title = " ".join(self.words(self.rng.randint(2, 5)))
            blocks.append(f"## {title[0].upper()}{title[1:]}")
            budget -= 3
        if self.rng.random() < 0.1 and budget > 30:
            items = [self.sentence(self.rng.randint(3, 8), links=False)
                     for _ in range(self.rng.randint(3, 5))]
            budget -= sum(len(item.split()) for item in items)
            lead, used = self.paragraph(min(15, max(6, budget)))
            budget -= used
            blocks += [lead, "\n".join(f"- {item}" for item in items)]
        while budget > 0:
            text, used = self.paragraph(min(budget, self.rng.randint(25, 70)))
            blocks.append(text)
            budget -= used
        if code:
            blocks.insert(len(blocks) // 2 + 1, "```python\n" + self.rng.choice(CODE_SNIPPETS)
                          + "\n```")
        return "\n\n".join(blocks)

    def thread(self, taken: set[str]) -> Thread:
        while True:
            title_words = self.rng.choice(CONTENT_WORDS), *self.words(self.rng.randint(3, 8))
            title = " ".join(title_words)
            title = title[0].upper() + title[1:]
            slug = ascii_slug(title)
            if slug and slug not in taken and len(slug) <= 70:
                taken.add(slug)
                break
        day = FIRST_DAY + dt.timedelta(days=self.rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
        tags = tuple(dict.fromkeys(self.rng.choices(self.tags, self.tag_weights,
                                                    k=self.rng.randint(1, 4))))
        total = max(300, min(700, round(self.rng.gauss(465, 60))))
        count = self.rng.randint(3, 12)
        cuts = sorted(self.rng.sample(range(1, total), count - 1))
        budgets = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        code_at = self.rng.randrange(count) if self.rng.random() < 0.12 else -1
        tweets = tuple(self.tweet(max(8, budget), index == code_at)
                       for index, budget in enumerate(budgets))
        return Thread(day, title, slug, tags, tweets)


def generate(count: int, seed: int = DEFAULT_SEED) -> list[Thread]:
    writer = Writer(seed)
    taken: set[str] = set()
    return [writer.thread(taken) for _ in range(count)]


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_yaml_text(item) for item in items) + "]"


# -- site-builder ---------------------------------------------------------------------------

def write_site_builder(threads: list[Thread], root: Path) -> None:
    content = root / "content"
    content.mkdir(parents=True)
    (root / "site.yaml").write_text(
        "# Benchmark site; search is off so Pagefind is timed on its own.\n"
        "title: Benchmark\n"
        "description: Fils générés pour mesurer les temps de construction.\n"
        "author: Benchmark\n"
        "base_url: https://example.org/\n"
        "language: fr\n"
        "timezone: Europe/Paris\n"
        f"per_page: {PER_PAGE}\n"
        "words_per_minute: 200\n"
        "search: false\n", encoding="utf-8")
    for thread in threads:
        front = (f"---\ndate: {thread.day.isoformat()}\ntitle: {_yaml_text(thread.title)}\n"
                 f"tags: {_yaml_list(thread.tags)}\ntweets: {len(thread.tweets)}\n---\n\n")
        (content / thread.file_name).write_text(front + thread.body, encoding="utf-8")


# -- Hugo -----------------------------------------------------------------------------------

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/years/" | relURL }}">Archives</a> <a href="{{ "/tags/" | relURL }}">Étiquettes</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>© {{ site.Params.author }}</footer>
</body>
</html>
""",
    "partials/card.html": """<li>
  <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> • {{ .ReadingTime }} min</p>
  <p>{{ .Summary | plainify | truncate 220 }}</p>
  <ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</li>
""",
    "partials/pager.html": """{{ $p := .Paginator }}{{ if gt $p.TotalPages 1 }}<nav>
{{ if $p.HasPrev }}<a rel="prev" href="{{ $p.Prev.URL }}">←</a>{{ end }}
Page {{ $p.PageNumber }} / {{ $p.TotalPages }}
{{ if $p.HasNext }}<a rel="next" href="{{ $p.Next.URL }}">→</a>{{ end }}
</nav>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ol>{{ range (.Paginate site.RegularPages).Pages }}{{ partial "card.html" . }}{{ end }}</ol>
{{ partial "pager.html" . }}{{ end }}
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> • {{ .ReadingTime }} min</p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}" rel="tag">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<div>{{ .Content }}</div>
</article>
<nav>{{ with .Next }}<a rel="prev" href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}
{{ with .Prev }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}</nav>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ol>{{ range (.Paginate .Pages).Pages }}{{ partial "card.html" . }}{{ end }}</ol>
{{ partial "pager.html" . }}{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<p>{{ len .Pages }} fils</p>
<ol>{{ range (.Paginate .Pages).Pages }}{{ partial "card.html" . }}{{ end }}</ol>
{{ partial "pager.html" . }}{{ end }}
""",
    # Year and month archives are taxonomies here: Hugo's cheapest way to a page per period.
    "years/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Pages.GroupByDate "2006-01" }}<section><h2>{{ .Key }}</h2>
<ol>{{ range .Pages }}{{ partial "card.html" . }}{{ end }}</ol></section>{{ end }}
{{ end }}
""",
    "months/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ol>{{ range .Pages }}{{ partial "card.html" . }}{{ end }}</ol>
{{ end }}
""",
    "years/taxonomy.html": """{{ define "main" }}<h1>Archives</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Page introuvable</h1>{{ end }}
""",
}


def hugo_version() -> tuple[int, int] | None:
    if shutil.which("hugo") is None:
        return None
    out = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
    found = re.search(r"v(\d+)\.(\d+)", out)
    return (int(found.group(1)), int(found.group(2))) if found else None


def hugo_config(version: tuple[int, int] | None) -> str:
    # `paginate` became `[pagination] pagerSize` in 0.128; rssLimit became services.rss.limit.
    modern = version is not None and version >= (0, 128)
    paging = f"[pagination]\n  pagerSize = {PER_PAGE}\n" if modern else f"paginate = {PER_PAGE}\n"
    return f"""baseURL = "https://example.org/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Benchmark"
timeZone = "Europe/Paris"
# Like site-builder: a sitemap and robots.txt, but no list page for the `posts` folder.
disableKinds = ["section"]
enableRobotsTXT = true
# No `/page/1/` copies of first pages: the others make none.
disableAliases = true
{paging}
[params]
  description = "Fils générés pour mesurer les temps de construction."
  author = "Benchmark"

[permalinks]
  posts = "/:year/:month/:slug/"

[taxonomies]
  tag = "tags"
  year = "years"
  month = "months"

# One feed, for the home page, as the other generators.
[outputs]
  home = ["HTML", "RSS"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[services.rss]
  limit = {FEED_ITEMS}
"""


def write_hugo(threads: list[Thread], root: Path) -> None:
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    (root / "config.toml").write_text(hugo_config(hugo_version()), encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for thread in threads:
        front = (f"---\ntitle: {_yaml_text(thread.title)}\ndate: {thread.day.isoformat()}\n"
                 f"slug: {thread.slug}\ntags: {_yaml_list(thread.tags)}\n"
                 f'years: ["{thread.day.year}"]\n'
                 f'months: ["{thread.day.year}-{thread.day.month:02d}"]\n---\n\n')
        (posts / thread.file_name).write_text(front + thread.body, encoding="utf-8")


# -- Pelican --------------------------------------------------------------------------------

PELICAN_CONF = f"""# Benchmark site: default theme, one Atom feed, tag pages, year/month archives.
AUTHOR = "Benchmark"
SITENAME = "Benchmark"
SITEURL = "https://example.org"
PATH = "content"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
DEFAULT_DATE_FORMAT = "%d %B %Y"
DEFAULT_CATEGORY = "fils"
DEFAULT_PAGINATION = {PER_PAGE}
PAGINATED_TEMPLATES = {{"index": None, "tag": None}}
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_SAVE_AS = "{{date:%Y}}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/index.html"
# No category or author pages: the other generators make none.
DIRECT_TEMPLATES = ["index", "tags", "archives"]
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""

FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = {FEED_ITEMS}
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The default theme, less the category and author links of pages this site does not make.
THEME_TEMPLATES_OVERRIDES = ["templates"]
"""

PELICAN_ARTICLE_INFOS = """<footer class="post-info">
        <abbr class="published" title="{{ article.date.isoformat() }}">
                Published: {{ article.locale_date }}
        </abbr>
        {% include 'taglist.html' %}
</footer><!-- /.post-info -->
"""


def write_pelican(threads: list[Thread], root: Path) -> None:
    content = root / "content"
    content.mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "article_infos.html").write_text(PELICAN_ARTICLE_INFOS,
                                                           encoding="utf-8")
    for thread in threads:
        front = (f"Title: {thread.title}\nDate: {thread.day.isoformat()}\n"
                 f"Tags: {', '.join(thread.tags)}\nSlug: {thread.slug}\n\n")
        (content / thread.file_name).write_text(front + thread.body, encoding="utf-8")


# -- Eleventy -------------------------------------------------------------------------------

# Collections and filters as an Eleventy user who cares about build time writes them: lists
# made once (tag, year and month pages chunked in the config, not re-filtered per page), a
# card's summary and reading time computed once per thread, neighbours by index (Eleventy's
# getPreviousCollectionItem searches the whole collection for each page).
ELEVENTY_CONFIG = """import syntaxHighlight from "@11ty/eleventy-plugin-syntaxhighlight";

const PER_PAGE = @PER_PAGE@;
const LONG_DATE = new Intl.DateTimeFormat("fr-FR", {day: "numeric", month: "long", year: "numeric", timeZone: "UTC"});

function pageUrl(base, number) {
  return number > 1 ? `${base}page/${number}/` : base;
}

function chunked(name, base, items, extra) {
  const total = Math.ceil(items.length / PER_PAGE);
  const pages = [];
  for (let number = 1; number <= total; number++) {
    pages.push({name, count: items.length, number, total, url: pageUrl(base, number),
                prev: number > 1 ? pageUrl(base, number - 1) : null,
                next: number < total ? pageUrl(base, number + 1) : null,
                items: items.slice((number - 1) * PER_PAGE, number * PER_PAGE), ...extra});
  }
  return pages;
}

function groupBy(items, key) {
  const groups = new Map();
  for (const item of items) {
    for (const value of key(item)) {
      if (!groups.has(value)) groups.set(value, []);
      groups.get(value).push(item);
    }
  }
  return groups;
}

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(syntaxHighlight);
  const slugify = eleventyConfig.getFilter("slugify");
  const newestFirst = (api) => api.getFilteredByGlob("posts/*.md").reverse();
  let threads = [];
  let position = new Map();
  eleventyConfig.addCollection("threads", (api) => {
    threads = newestFirst(api);
    position = new Map(threads.map((item, index) => [item.inputPath, index]));
    return threads;
  });
  eleventyConfig.addCollection("tagPages", (api) => {
    const byTag = [...groupBy(newestFirst(api), (item) => item.data.tags || [])];
    byTag.sort(([a], [b]) => a.localeCompare(b));
    return byTag.flatMap(([name, items]) => chunked(name, `/tags/${slugify(name)}/`, items, {}));
  });
  eleventyConfig.addCollection("tagList", (api) => {
    const byTag = [...groupBy(newestFirst(api), (item) => item.data.tags || [])];
    byTag.sort(([a], [b]) => a.localeCompare(b));
    return byTag.map(([name, items]) => ({name, url: `/tags/${slugify(name)}/`, count: items.length}));
  });
  eleventyConfig.addCollection("years", (api) => {
    const byYear = groupBy(newestFirst(api), (item) => [item.date.getUTCFullYear()]);
    return [...byYear].map(([year, items]) => ({
      year, count: items.length,
      months: [...groupBy(items, (item) => [item.date.toISOString().slice(0, 7)])]
        .map(([key, monthItems]) => ({key, items: monthItems}))}));
  });
  eleventyConfig.addCollection("months", (api) => {
    const byMonth = groupBy(newestFirst(api), (item) => [item.date.toISOString().slice(0, 7)]);
    return [...byMonth].map(([key, items]) => ({key, url: `/${key.replace("-", "/")}/`, items}));
  });
  eleventyConfig.addFilter("neighbours", (page) => {
    const index = position.get(page.inputPath);
    return {newer: threads[index - 1], older: threads[index + 1]};
  });
  const cards = new Map();
  eleventyConfig.addFilter("card", (item) => {
    let card = cards.get(item.inputPath);
    if (card === undefined) {
      const text = item.templateContent.replace(/<[^>]+>/g, " ").replace(/\\s+/g, " ").trim();
      const cut = text.length > 220 ? text.slice(0, 219).replace(/\\s+\\S*$/, "") + "…" : text;
      card = {summary: cut, minutes: Math.max(1, Math.round(text.split(" ").length / 200))};
      cards.set(item.inputPath, card);
    }
    return card;
  });
  eleventyConfig.addFilter("isoDate", (date) => date.toISOString().slice(0, 10));
  eleventyConfig.addFilter("longDate", (date) => LONG_DATE.format(date));
  return {
    dir: {input: ".", includes: "_includes", data: "_data"},
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    templateFormats: ["md", "njk"],
  };
}
"""

ELEVENTY_FILES = {
    "_data/site.json": """{"title": "Benchmark", "author": "Benchmark", "url": "https://example.org",
 "description": "Fils générés pour mesurer les temps de construction."}
""",
    "posts/posts.json": """{"layout": "thread.njk"}
""",
    "_includes/base.njk": """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% if title %}{{ title }} · {% endif %}{{ site.title }}</title>
<meta name="description" content="{{ site.description }}">
<link rel="alternate" type="application/atom+xml" href="/feed.xml">
</head>
<body>
<header><a href="/">{{ site.title }}</a>
<nav><a href="/archives/">Archives</a> <a href="/tags/">Étiquettes</a></nav></header>
<main>{{ content | safe }}</main>
<footer>© {{ site.author }}</footer>
</body>
</html>
""",
    "_includes/card.njk": """{% set card = item | card %}<li>
  <h2><a href="{{ item.url }}">{{ item.data.title }}</a></h2>
  <p><time datetime="{{ item.date | isoDate }}">{{ item.date | longDate }}</time> • {{ card.minutes }} min</p>
  <p>{{ card.summary }}</p>
  <ul>{% for tag in item.data.tags %}<li><a href="/tags/{{ tag | slugify }}/">{{ tag }}</a></li>{% endfor %}</ul>
</li>
""",
    "_includes/pager.njk": """{% if pager.total > 1 %}<nav>
{% if pager.prev %}<a rel="prev" href="{{ pager.prev }}">←</a>{% endif %}
Page {{ pager.number }} / {{ pager.total }}
{% if pager.next %}<a rel="next" href="{{ pager.next }}">→</a>{% endif %}
</nav>{% endif %}
""",
    "_includes/thread.njk": """---
layout: base.njk
---
<article>
<h1>{{ title }}</h1>
<p><time datetime="{{ page.date | isoDate }}">{{ page.date | longDate }}</time> • {{ ((content | striptags | wordcount) / 200) | round }} min</p>
<ul>{% for tag in tags %}<li><a href="/tags/{{ tag | slugify }}/" rel="tag">{{ tag }}</a></li>{% endfor %}</ul>
<div>{{ content | safe }}</div>
</article>
{% set around = page | neighbours %}<nav>{% if around.older %}<a rel="prev" href="{{ around.older.url }}">← {{ around.older.data.title }}</a>{% endif %}
{% if around.newer %}<a rel="next" href="{{ around.newer.url }}">{{ around.newer.data.title }} →</a>{% endif %}</nav>
""",
    "index.njk": """---
layout: base.njk
pagination:
  data: collections.threads
  size: @PER_PAGE@
  alias: items
permalink: "{% if pagination.pageNumber > 0 %}/page/{{ pagination.pageNumber + 1 }}/{% else %}/{% endif %}"
eleventyExcludeFromCollections: true
---
<h1>{{ site.title }}</h1>
<ol>{% for item in items %}{% include "card.njk" %}{% endfor %}</ol>
{% set pager = {total: pagination.pages.length, number: pagination.pageNumber + 1, prev: pagination.href.previous, next: pagination.href.next} %}{% include "pager.njk" %}
""",
    "tag-pages.njk": """---
layout: base.njk
pagination:
  data: collections.tagPages
  size: 1
  alias: pager
permalink: "{{ pager.url }}"
eleventyExcludeFromCollections: true
eleventyComputed:
  title: "{{ pager.name }}"
---
<h1>{{ pager.name }}</h1>
<p>{{ pager.count }} fils</p>
<ol>{% for item in pager.items %}{% include "card.njk" %}{% endfor %}</ol>
{% include "pager.njk" %}
""",
    "tags.njk": """---
layout: base.njk
permalink: /tags/
title: Étiquettes
eleventyExcludeFromCollections: true
---
<h1>Étiquettes</h1>
<ul>{% for tag in collections.tagList %}<li><a href="{{ tag.url }}">{{ tag.name }}</a> ({{ tag.count }})</li>{% endfor %}</ul>
""",
    "years.njk": """---
layout: base.njk
pagination:
  data: collections.years
  size: 1
  alias: year
permalink: "/{{ year.year }}/"
eleventyExcludeFromCollections: true
eleventyComputed:
  title: "{{ year.year }}"
---
<h1>{{ year.year }}</h1>
{% for month in year.months %}<section><h2>{{ month.key }}</h2>
<ol>{% for item in month.items %}{% include "card.njk" %}{% endfor %}</ol></section>{% endfor %}
""",
    "months.njk": """---
layout: base.njk
pagination:
  data: collections.months
  size: 1
  alias: month
permalink: "{{ month.url }}"
eleventyExcludeFromCollections: true
eleventyComputed:
  title: "{{ month.key }}"
---
<h1>{{ month.key }}</h1>
<ol>{% for item in month.items %}{% include "card.njk" %}{% endfor %}</ol>
""",
    "archives.njk": """---
layout: base.njk
permalink: /archives/
title: Archives
eleventyExcludeFromCollections: true
---
<h1>Archives</h1>
<ul>{% for year in collections.years %}<li><a href="/{{ year.year }}/">{{ year.year }}</a> ({{ year.count }})</li>{% endfor %}</ul>
""",
    "feed.njk": """---
permalink: /feed.xml
eleventyExcludeFromCollections: true
---
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{{ site.title }}</title>
<link href="{{ site.url }}/"/>
<id>{{ site.url }}/</id>
<updated>{{ collections.threads[0].date.toISOString() }}</updated>
{% for item in collections.threads.slice(0, @FEED_ITEMS@) %}<entry>
<title>{{ item.data.title }}</title>
<link href="{{ site.url }}{{ item.url }}"/>
<id>{{ site.url }}{{ item.url }}</id>
<updated>{{ item.date.toISOString() }}</updated>
<content type="html">{{ item.templateContent }}</content>
</entry>
{% endfor %}</feed>
""",
    "sitemap.njk": """---
permalink: /sitemap.xml
eleventyExcludeFromCollections: true
---
<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{% for item in collections.threads %}<url><loc>{{ site.url }}{{ item.url }}</loc><lastmod>{{ item.date | isoDate }}</lastmod></url>
{% endfor %}</urlset>
""",
    "robots.njk": """---
permalink: /robots.txt
eleventyExcludeFromCollections: true
---
User-agent: *
Sitemap: {{ site.url }}/sitemap.xml
""",
    "404.njk": """---
layout: base.njk
permalink: /404.html
title: Page introuvable
eleventyExcludeFromCollections: true
---
<h1>Page introuvable</h1>
""",
}


def write_eleventy(threads: list[Thread], root: Path) -> None:
    posts = root / "posts"
    posts.mkdir(parents=True)
    for name, text in {"eleventy.config.mjs": ELEVENTY_CONFIG, **ELEVENTY_FILES}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = text.replace("@PER_PAGE@", str(PER_PAGE)).replace("@FEED_ITEMS@", str(FEED_ITEMS))
        path.write_text(text, encoding="utf-8")
    for thread in threads:
        front = (f"---\ntitle: {_yaml_text(thread.title)}\ndate: {thread.day.isoformat()}\n"
                 f"tags: {_yaml_list(thread.tags)}\n"
                 f"permalink: /{thread.day:%Y/%m}/{thread.slug}/\n---\n\n")
        (posts / thread.file_name).write_text(front + thread.body, encoding="utf-8")


def write_all(count: int, destination: Path, seed: int = DEFAULT_SEED) -> Path:
    """(Re)write the four sites under `destination`, unless the same corpus is already there."""
    source = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
    stamp = f"corpus {source} seed {seed} threads {count} hugo {hugo_version()}\n"
    stamp_file = destination / "corpus.txt"
    if stamp_file.is_file() and stamp_file.read_text() == stamp:
        return destination
    if destination.exists():
        shutil.rmtree(destination)
    threads = generate(count, seed)
    write_site_builder(threads, destination / "site-builder")
    write_hugo(threads, destination / "hugo")
    write_pelican(threads, destination / "pelican")
    write_eleventy(threads, destination / "eleventy")
    stamp_file.write_text(stamp)
    return destination


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many threads")
    parser.add_argument("destination", type=Path, help="folder to write the four sites into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    write_all(args.count, args.destination, args.seed)
    print(args.destination)


if __name__ == "__main__":
    main()
