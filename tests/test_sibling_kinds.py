"""A head the question narrows ("locum use"), named in the sentence only as another kind ("bank use")."""

from assistant.answering.constraints import ASKING, GENERIC
from assistant.answering.sibling_kinds import asked_kinds, sibling_of

SKIP = ASKING | GENERIC


def kinds(question: str) -> list[tuple[str, str, str]]:
    return asked_kinds(question, SKIP)


def test_the_object_of_a_preposition_is_read():
    assert [(w, h) for w, _, h in kinds("What minimum reduction in locum use must all systems deliver?")] == [("locum", "use")]
    assert [w for w, _, _ in kinds("What share of widget repairs was done by the team?")] == ["widget"]


def test_a_verb_that_ends_the_question_is_not_the_head():
    assert [(w, h) for w, _, h in kinds("By how much has the length of stay of emergency admissions fallen?")] == [
        ("emergency", "admiss")]


def test_an_acronym_narrows_but_a_capitalised_title_word_does_not():
    assert [w for w, _, _ in kinds("What percentage of GP appointments can be booked online?")] == ["GP"]
    assert kinds("How much will the Ten Year Health Plan invest in new clinics?") == []


def test_counts_grades_and_runs_outside_an_object_are_not_kinds():
    assert kinds("What are the three shifts at the heart of the plan?") == []
    assert kinds("What is the price of cheap needles?") == []
    assert kinds("How long can the board chair serve?") == []  # no preposition: the run may hold a verb


def test_another_kind_of_the_head_does_not_answer():
    asked = kinds("What minimum reduction in locum use must all systems deliver?")
    assert sibling_of(asked, "reducing bank use, with all systems expected to deliver a minimum 10% reduction.") == "locum use"
    assert sibling_of(asked, "reducing locum use by a minimum 10%.") is None


def test_non_x_is_the_other_kind():
    asked = kinds("By how much has the length of stay of elective admissions fallen?")
    assert sibling_of(asked, "a reduction in the length of stay of non-elective admissions by 2.3%") == "elective admissions"
    own = kinds("By how much has the length of stay of non-elective admissions fallen?")
    assert sibling_of(own, "a reduction in the length of stay of non-elective admissions by 2.3%") is None


def test_a_bare_counted_or_graded_mention_leaves_the_kind_open():
    asked = kinds("What percentage of GP appointments can be booked online?")
    assert sibling_of(asked, "At least 95% of appointments can be booked online.") is None
    assert sibling_of(asked, "At least 95% of all appointments can be booked online.") is None
    assert sibling_of(asked, "Expensive (hospital) appointments: 95% online.") is None  # punctuation ends the compound


def test_one_asked_kind_named_or_the_kind_just_before_is_enough():
    asked = kinds("For how long can funding be approved on an IFR continuation request?")
    assert sibling_of(asked, "(If approved), continuation request funded for a further 6 months") is None
    gp = kinds("What percentage of GP appointments can be booked online?")
    assert sibling_of(gp, "making 70% of routine care appointments bookable", around="General practice (GP) access") is None
    assert sibling_of(gp, "making 70% of routine care appointments bookable") == "GP appointments"


def test_a_thing_the_documents_name_is_not_answered_by_a_sentence_naming_none_of_it():
    from assistant.answering.sibling_kinds import unnamed

    asked = kinds("How much did the trust spend on bank staff in 2022/23?")
    vocabulary = {"bank", "staff", "spend", "reduc"}
    used = vocabulary.__contains__
    assert unnamed(asked, "Spend has reduced from £3.5 billion to £3.0 billion.", "", used) == "bank staff"
    assert unnamed(asked, "Spend on bank shifts fell to £2 billion.", "", used) is None  # names "bank"
    assert unnamed(asked, "Spend has reduced to £3.0 billion.", "Bank staff costs:", used) is None  # just before it
    # a head the documents never use is the question's own wording, a paraphrase
    assert unnamed(asked, "Spend has reduced to £3.0 billion.", "", {"spend"}.__contains__) is None


def test_a_thing_no_document_names_is_answered_only_by_a_sentence_naming_something_near_it():
    from assistant.answering.sibling_kinds import unnamed

    question = "What is the maximum price of a box of blood glucose test strips?"
    asked = kinds(question)
    used = {"insulin", "pen", "needl", "blood", "glucos", "test"}.__contains__  # no "strip"
    near = {"strips": ("tape", "bands"), "hiring": ("recruitment", "jobs")}.__getitem__
    needles = "Prescribers should only initiate insulin pen needles that cost <£5 per 100 needles."
    assert unnamed(asked, needles, "", used, question, near=near) == "blood glucose test strip"
    assert unnamed(asked, needles, "", used, question) is None  # without the word table: left to the other checks
    assert unnamed(asked, "Strips of tape cost £2.", "", used, question, near=near) is None  # names "tape", near it
    hiring = "How far should the NHS cut its reliance on overseas hiring?"
    assert unnamed(kinds(hiring), "reduce international recruitment to less than 10%", "", used, hiring, near=near) is None
    assert unnamed(kinds(hiring), "cut spending on consultancy by 50%", "", used, hiring, near=near) == "overseas hire"


def test_a_qualifier_cut_in_two_by_a_page_break_is_not_another_kind():
    asked = [("blockchain", "blockchain", "market")]
    assert sibling_of(asked, "chain market size is expected to grow to USD 39.7 billion") is None
    assert sibling_of(asked, "the equity market grew 5% in 2025") == "blockchain market"
    # a hyphened word's part is a word of its own: "executive members" are the other kind of "non-executive members"
    assert sibling_of(kinds("How many non-executive members does the ICB appoint?"),
                      "The ICB will appoint two executive members.") == "non-executive members"


def test_a_kind_no_document_names_is_not_answered_by_its_bare_head():
    from assistant.answering.sibling_kinds import unnamed

    question = "What minimum reduction in overtime spending must all systems deliver?"
    used = {"spend", "agenc", "reduct", "intern"}.__contains__  # no "overtim"
    near = {"overtime": ("hours",), "overseas": ("international",)}.get
    sentence = "All systems are expected to deliver a 30% reduction based on current spending."
    assert unnamed(kinds(question), sentence, "", used, question, near=lambda w: near(w, ())) == "overtime spend"
    assert unnamed(kinds(question), sentence, "", used, question) is None  # without the word table
    assert unnamed(kinds(question), "Overtime hours cost more.", "", used, question, near=lambda w: near(w, ())) is None
    overseas = "How much did the NHS spend on overseas recruitment?"
    assert unnamed(kinds(overseas), "cut international recruitment spend", "", used, overseas, near=lambda w: near(w, ())) is None


def test_what_a_cost_question_prices_is_asked_about():
    assert [(w, h) for w, _, h in kinds("How much does a 1 litre sharps bin cost on the Drug Tariff?")] == [
        ("litre", "bin"), ("sharps", "bin")]
    assert [w for w, _, _ in kinds("What is the price of a 1 litre sharps bin?")] == ["litre", "sharps"]
    assert kinds("How much does a sharps bin hold?") == []  # not a price: the subject may be anything
    # a year after the object ends it: "drag down productivity" is no kind of productivity
    assert kinds("How much did the strikes in the summer of 2024 drag down productivity?") == []
