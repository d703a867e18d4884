from quartiers.engine.matching.normalise import MAX_CHARS, analyse, clean, fold, key, stem, stems, words


def test_elisions_are_dropped_with_straight_and_typographic_apostrophes():
    assert words("l'accès d’emploi qu'on jusqu'au") == ["accès", "emploi", "on", "au"]


def test_accents_and_ligatures_fold():
    assert fold("Œuvre à l'École") == "oeuvre a l'ecole"
    assert stems("cœur") == stems("coeur")
    assert stems("Éducation") == stems("education")


def test_plurals_and_inflections_share_a_stem():
    assert stem("emplois") == stem("emploi")
    assert stem("vélos") == stem("vélo")
    assert stem("loisirs") == stem("loisir")
    assert stem("jeunes") == stem("jeune")
    assert stem("scolaires") == stem("scolaire")
    assert stem("accompagnement") == stem("accompagner")


def test_hyphens_split_words_and_stop_words_go():
    assert [t.surface for t in analyse("le sport-santé et l'aller-vers")] == ["sport", "santé", "aller", "vers"]


def test_clean_strips_markup_and_scripts_and_cuts_long_texts():
    assert clean("<p>Aide <b>aux</b> devoirs</p><script>alert('x')</script>") == "Aide aux devoirs"
    assert clean("a &amp; b") == "a & b"
    assert len(clean("mot " * 1_000_000)) <= MAX_CHARS


def test_key_for_names():
    assert key("La Grand’Combe") == key("la grand-combe") == "la grand combe"
    assert key("Alès") == "ales"


def test_concertation_is_not_a_concert():
    assert stem("concertation") != stem("concert")
    assert stem("Concertations") == stem("concertation")
