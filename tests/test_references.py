"""Who is referred to: names and composed roles, quotes and their speakers, addressees, pairs, relations,
pronouns by salience, and the traps that refer to nobody, in French and English.

Mechanism tests read pass three's proposals (`ReferenceFinder.evidence`, no model); behaviour
tests go through the trained model, whose learned decision has the last word.
"""
import pytest

from portrayal.references import ReferenceFinder, TargetRegistry
from portrayal.segment import sentences_from_list, split_sentences

from .conftest import REGISTRY


@pytest.fixture(scope="module")
def finder():
    return ReferenceFinder(TargetRegistry.from_file(REGISTRY))


def proposed(finder, sentences: list[str]) -> list[dict[str, list[tuple[str, str]]]]:
    """Per sentence, {target: [(mention text, via)]} as pass three proposes them."""
    evidence, _ = finder.evidence(sentences_from_list(sentences))
    return [{t: [(m.text, m.via) for m in e.mentions] for t, e in found.items() if e.mentions} for found in evidence]


def reasons(finder, sentences: list[str]) -> list[dict[str, list[str]]]:
    evidence, _ = finder.evidence(sentences_from_list(sentences))
    return [{t: e.reasons for t, e in found.items() if e.reasons} for found in evidence]


def referred(scorer, sentences: list[str]) -> list[set[str]]:
    """Per sentence, the targets the model says it refers to."""
    result = scorer.score({"sentences": sentences})
    return [{t for t, v in s["targets"].items() if v["stance"] != "none"} for s in result["sentences"]]


# -- explicit references ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, target, mention, via", [
    ("Elon Musk a déposé une offre.", "musk", "Elon Musk", "name"),
    ("L'offre de Musk a été rejetée.", "musk", "Musk", "name"),
    ("Sam Atlman a refusé.", "altman", "Sam Atlman", "name"),
    ("SAM ALTMAN RÉPOND À MUSK", "altman", "SAM ALTMAN", "name"),
    ("L'homme le plus riche du monde insiste.", "musk", "L'homme le plus riche du monde", "alias"),
    ("The world's richest man filed suit.", "musk", "The world's richest man", "alias"),
    # Roles are composed from a role word and one of the target's organisations or products.
    ("Le patron de Tesla a déposé une offre.", "musk", "Le patron de Tesla", "title"),
    ("Une lettre du patron de SpaceX est arrivée.", "musk", "du patron de SpaceX", "title"),
    ("Le numéro un d'OpenAI a refusé.", "altman", "Le numéro un d'OpenAI", "title"),
    ("Le PDG d’OpenAI a refusé.", "altman", "Le PDG d’OpenAI", "title"),
    ("Le patron du constructeur de ChatGPT a souri.", "altman", "Le patron du constructeur de ChatGPT", "title"),
    ("L'ancien coprésident du conseil d'OpenAI a déposé une requête.", "musk",
     "L'ancien coprésident du conseil d'OpenAI", "title"),
    ("OpenAI's CEO shrugged it off.", "altman", "OpenAI's CEO", "title"),
    ("The OpenAI chief executive smiled.", "altman", "The OpenAI chief executive", "title"),
    ("The xAI founder answered within minutes.", "musk", "The xAI founder", "title"),
    ("The Grok maker's owner called it a heist.", "musk", "The Grok maker's owner", "title"),
    ("The chief executive of OpenAI declined to comment.", "altman", "The chief executive of OpenAI", "title"),
])
def test_names_aliases_and_composed_roles_are_found(finder, text, target, mention, via):
    assert (mention, via) in proposed(finder, [text])[0][target]


@pytest.mark.parametrize("text", [
    "OpenAI a annoncé un nouveau modèle de raisonnement.",
    "Tesla a publié ses résultats trimestriels.",
    "Un parfum au musc blanc.",
    "Un cofondateur de xAI a répondu que c'était faux.",       # one of several, not the target
    "Tesla's chief financial officer presented the results.",  # another role at his company
    "Le PDG de Meta, Mark Zuckerberg, a refusé.",               # another organisation's boss
    "Kimbal Musk a choisi une tout autre vie.",                 # another person of the family
    "X CEO Linda Yaccarino resigned.",                          # a title apposed to another name
])
def test_a_company_a_common_word_or_another_person_is_not_the_target(finder, text):
    assert proposed(finder, [text]) == [{}]


def test_a_bare_role_of_several_words_is_a_role_not_another_person(finder):
    sentences = ["Le message était signé de Sam Altman.", "Le directeur général y annonce un compromis."]
    assert proposed(finder, sentences)[1] == {"altman": [("Le directeur général", "title")]}
    assert proposed(finder, ["Sam Altman a parlé.", "Le directeur de la communication a refusé."])[1] == {}


def test_a_role_in_apposition_to_a_name_is_that_names(finder):
    sentence = "OpenAI n'a pas répondu, mais son directeur général Sam Altman a réagi sur X."
    assert proposed(finder, ["Elon Musk a déposé une offre.", sentence])[1] == {"altman": [("Sam Altman", "name")]}


def test_the_company_of_a_title_is_the_one_a_later_company_role_belongs_to(finder):
    sentences = ["L'ancien coprésident du conseil d'OpenAI a déposé une requête.",
                 "Il demande que le patron de la start-up soit entendu."]
    assert ("le patron de la start-up", "title") in proposed(finder, sentences)[1]["altman"]


def test_a_role_held_by_both_goes_to_the_one_the_text_is_about(finder):
    sentences = ["Sam Altman a réuni ses équipes.", "Le cofondateur d'OpenAI a promis de tenir bon."]
    assert proposed(finder, sentences)[1] == {"altman": [("Le cofondateur d'OpenAI", "title")]}


def test_a_new_targets_roles_come_from_its_organisations(finder):
    document = TargetRegistry.from_file(REGISTRY).document
    extended = dict(document, targets=document["targets"] + [{
        "id": "zuckerberg", "display_name": "Mark Zuckerberg", "names": ["Mark Zuckerberg", "Zuckerberg"],
        "organisations": [{"names": ["Meta", "Facebook"], "roles": ["chief", "founder"]}],
        "pronouns": {"fr": ["il", "lui", "son", "sa", "ses"], "en": ["he", "him", "his"]}}])
    found = proposed(ReferenceFinder(TargetRegistry(extended)), ["Le patron de Meta a refusé.", "The Facebook founder"])
    assert found[0] == {"zuckerberg": [("Le patron de Meta", "title")]}
    assert found[1] == {"zuckerberg": [("The Facebook founder", "title")]}


# -- quotes and speakers ---------------------------------------------------------------------------

def test_every_sentence_of_a_quote_refers_to_its_speaker_named_after_it(finder):
    sentences = ["« Nous n'avons reçu aucune offre sérieuse.",
                 "Le laboratoire poursuivra sa route », a ajouté Sam Altman."]
    found = reasons(finder, sentences)
    assert "speaker_after" in found[0]["altman"]
    assert "musk" not in found[0]


def test_a_quote_attributed_two_sentences_later_refers_to_its_speaker(finder):
    sentences = ["« J'ai apporté l'argent et les premiers chercheurs.", "Sans moi, ce laboratoire n'existerait pas. »",
                 "C'est en ces termes que le patron de Tesla a résumé son rôle devant les jurés."]
    found = reasons(finder, sentences)
    assert "speaker_next" in found[0]["musk"] and "speaker_next" in found[1]["musk"]


@pytest.mark.parametrize("sentences", [
    ["Interrogé mardi, Altman a souri.", "« Nous ne sommes pas à vendre. »"],
    ["Asked about the offer, Sam Altman laughed.", "“We are not for sale.”", "“We're focused on the mission.”"],
])
def test_a_quote_after_the_sentence_that_introduces_its_speaker_is_his(finder, sentences):
    for found in reasons(finder, sentences)[1:]:
        assert any(r.startswith("speaker_") for r in found["altman"])


def test_a_quote_whose_speaker_is_never_given_refers_to_nobody(finder):
    assert proposed(finder, ["« Free the AI »", "Des pancartes ont fleuri devant le tribunal."]) == [{}, {}]


def test_inside_a_targets_quote_the_man_spoken_about_and_spoken_to_is_the_other(finder):
    sentences = ["Elon Musk a répondu à Sam Altman sur X.",
                 "« Ce type passe son temps à mentir, gardez votre argent », a-t-il écrit."]
    found = proposed(finder, sentences)[1]
    assert ("Ce type", "pronoun") in found["altman"] and ("votre", "addressee") in found["altman"]
    english = proposed(finder, ["Altman answered Musk on stage.", "“He keeps suing us,” Altman said."])[1]
    assert ("He", "pronoun") in english["musk"]


def test_a_one_word_verdict_quoted_in_a_sentence_refers_to_the_man_judged(finder):
    sentences = ["Sam Altman mocked the bid on X.", "Musk's whole answer was one word: “Liar.”"]
    assert "verdict_quote" in reasons(finder, sentences)[1]["altman"]


def test_an_interview_answers_are_the_interviewees_and_questions_are_put_to_him(finder):
    sentences = ["Sam Altman : « OpenAI n'est pas à vendre »", "Propos recueillis à Paris.",
                 "— Elon Musk a mis 97 milliards sur la table.", "Avez-vous pris cette offre au sérieux ?",
                 "— Nous l'avons lue, comme tout le reste.",
                 "Mais je doute que ce monsieur pense sérieusement qu'OpenAI va changer de mains."]
    found = reasons(finder, sentences)
    assert "addressee_in_question" in found[3]["altman"]
    assert all(any(r.startswith("speaker_turn") for r in found[i]["altman"]) for i in (4, 5))
    assert "about_in_speech_description" in found[5]["musk"]  # "ce monsieur", in Altman's answer


def test_an_open_letter_is_addressed_to_its_recipient(finder):
    sentences = ["Lettre ouverte à Elon Musk", "Monsieur, vous nous avez appris à viser Mars.",
                 "Rendez-nous l'ingénieur, gardez le procès."]
    found = reasons(finder, sentences)
    assert "addressee_letter" in found[1]["musk"] and "addressee_imperative" in found[2]["musk"]


# -- pairs, relations, pronouns --------------------------------------------------------------------

@pytest.mark.parametrize("pair", ["Les deux patrons ne se parlent plus.", "Leur querelle dure depuis 2018.",
                                  "Tous deux visent la même chose.", "The pair no longer speak.",
                                  "Their feud has outlived both companies.", "Les anciens alliés se disputent."])
def test_a_pair_refers_to_both_once_both_are_named(finder, pair):
    found = proposed(finder, ["Elon Musk et Sam Altman ont fondé OpenAI.", pair])[1]
    assert set(found) == {"musk", "altman"} and all(via == "group" for _, via in found["musk"])


@pytest.mark.parametrize("pair", ["Neither man agreed to be interviewed.", "Les deux ont raison et les deux ont tort.",
                                  "L'un a relancé l'espace, l'autre a fait entrer l'IA dans les foyers.",
                                  "Entre l'un qui insulte et l'autre qui ironise, rien ne s'apaise."])
def test_a_pair_standing_alone_or_one_then_the_other_refers_to_both(finder, pair):
    found = proposed(finder, ["Elon Musk et Sam Altman ont fondé OpenAI.", pair])[1]
    assert set(found) == {"musk", "altman"}


def test_a_pair_with_nobody_named_before_refers_to_nobody(finder):
    assert proposed(finder, ["Les deux patrons ne se parlent plus."]) == [{}]


def test_the_former_and_the_latter_point_back_in_order(finder):
    found = proposed(finder, ["Musk et Altman se sont retrouvés au tribunal.",
                              "Le premier parle de trahison, le second de rancune."])[1]
    assert found == {"musk": [("Le premier", "pronoun")], "altman": [("le second", "pronoun")]}
    assert proposed(finder, ["Musk a parlé, puis Altman.", "Ce dernier a souri."])[1] == {
        "altman": [("Ce dernier", "pronoun")]}


@pytest.mark.parametrize("sentences, other", [
    (["Sam Altman a répondu sur X.", "Interrogé sur son ancien associé, il a haussé les épaules."], "musk"),
    (["Altman spoke in Tokyo.", "He declined to comment on his former partner's fundraising."], "musk"),
    (["Elon Musk a porté plainte.", "Son rival n'a pas réagi."], "altman"),
])
def test_a_relation_refers_to_the_other_man(finder, sentences, other):
    assert any(via == "title" for _, via in proposed(finder, sentences)[1][other])


def test_a_pronoun_refers_to_the_man_the_paragraph_is_about_across_a_gap(finder):
    sentences = ["Sam Altman est arrivé tôt au tribunal.", "La salle était déjà pleine.",
                 "Les caméras attendaient dehors.", "Il a griffonné des notes toute la matinée."]
    assert proposed(finder, sentences)[3] == {"altman": [("Il", "pronoun")]}


def test_a_pronoun_after_another_person_named_in_its_sentence_is_that_persons(finder):
    sentences = ["Elon Musk a témoigné mardi.", "Marc Toberoff a choisi de ne pas évoquer sa vie privée."]
    assert proposed(finder, sentences)[1] == {}


@pytest.mark.parametrize("sentences", [
    ["Sam Altman a présenté les résultats.", "OpenAI a revu ses prévisions."],        # a company's possessive
    ["Elon Musk a parlé.", "La start-up a relevé ses objectifs."],
    ["Elon Musk a parlé.", "Il faut dire que l'offre était faible."],                   # impersonal il
    ["Elon Musk a parlé.", "Il s'agit de la première plainte."],
    ["Elon Musk a parlé.", "Il n'en fallait pas plus pour enflammer les réseaux."],
    ["Elon Musk a parlé.", "Il fut un temps où les patrons se parlaient."],
    ["Elon Musk a témoigné.", "La juge a mis sa décision en délibéré."],                # another person's
])
def test_what_refers_to_nobody(finder, sentences):
    assert proposed(finder, sentences)[1] == {}


def test_another_person_opening_a_sentence_is_weighed_against_the_next_pronoun(finder):
    sentences = ["L'avocat de M. Musk, Marc Toberoff, a estimé que rien ne changeait.", "Selon lui, c'est cosmétique."]
    evidence, _ = finder.evidence(sentences_from_list(sentences))
    assert evidence[1]["musk"].signals.get("other_subject_last") == 1.0


def test_cue_windows_lose_no_match_a_whole_sentence_scan_finds(finder):
    """Scans run only in windows around their anchor words: on the corpus and the challenge set, they find
    exactly what each pattern finds over the whole sentence."""
    from portrayal.corpus import read_jsonl
    from portrayal.references import cues

    from .conftest import ROOT
    texts = [r["text"] for r in read_jsonl(ROOT / "data" / "corpus.jsonl")][::3]
    texts += [r["text"] for r in read_jsonl(ROOT / "data" / "challenge" / "references.jsonl")]
    scanner = finder.scanner
    for text in texts:
        lowered = text.lower()
        windows = scanner._windows(text, lowered, frozenset(cues._WORDS.findall(lowered)) & scanner._anchor_words)
        for index, scan in enumerate(scanner._all_scans):
            whole = [m.span() for m in scan.pattern.finditer(text)]
            windowed = [m.span() for m in cues._matches(scan, text, windows[index])] if index in windows else []
            assert windowed == whole, (scan.kind, text)


def test_mention_offsets_point_into_the_article(finder):
    text = "Titre\nHier, Elon Musk a écrit à Sam Altman. « Non merci », a répondu le patron d'OpenAI."
    evidence, _ = finder.evidence(split_sentences(text))
    for found in evidence:
        for e in found.values():
            for mention in e.mentions:
                assert text[mention.start:mention.end] == mention.text


# -- the learned decision --------------------------------------------------------------------------

def test_the_decision_gives_every_target_a_probability_and_follows_its_threshold(scorer):
    result = scorer.score({"sentences": ["Elon Musk a déposé une offre.", "OpenAI a publié un modèle."]})
    threshold = scorer.model.reference_decision_.threshold_
    for sentence in result["sentences"]:
        for target in sentence["targets"].values():
            assert 0 <= target["p_referred"] <= 1
            assert (target["stance"] != "none") == (target["p_referred"] >= threshold)


@pytest.mark.parametrize("sentences, expected", [
    (["Sam Altman a réagi sur X.", "« Je ne suis pas à vendre », a-t-il écrit."], [{"altman"}, {"altman"}]),
    (["Altman was asked about Musk's bid.", "“I feel for the guy,” he said."], [{"altman", "musk"}, {"altman", "musk"}]),
    (["Elon Musk et Sam Altman ont fondé OpenAI en 2015.", "Les deux hommes ne se parlent plus."],
     [{"musk", "altman"}, {"musk", "altman"}]),
    (["Le patron de Tesla a déposé plainte.", "OpenAI a rejeté ses arguments.", "Le cours de Tesla a baissé."],
     [{"musk"}, set(), set()]),
    (["Mark Zuckerberg a refusé de signer.", "Il a préféré investir dans ses propres laboratoires."], [set(), set()]),
])
def test_the_model_decides_who_is_referred_to(scorer, sentences, expected):
    assert referred(scorer, sentences) == expected
