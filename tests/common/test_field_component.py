"""``components/field.html``: one DSFR field for every form — groups, error state, hint, aria-describedby."""

import re

from django import forms
from django.template import Context, Template


class SampleForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=20, help_text="20 caractères au plus.")
    kind = forms.ChoiceField(label="Type", choices=[("", "—"), ("a", "Association"), ("c", "Commune")])
    annex = forms.FileField(label="Annexe", required=False)
    agree = forms.BooleanField(label="J'accepte")
    themes = forms.MultipleChoiceField(label="Thèmes", choices=[("e", "Emploi"), ("s", "Santé")],
                                       widget=forms.CheckboxSelectMultiple)
    stance = forms.ChoiceField(label="Avis", choices=[("f", "Favorable"), ("d", "Défavorable")], widget=forms.RadioSelect)
    styled = forms.CharField(label="Stylé", required=False, widget=forms.TextInput(attrs={"class": "fr-input q-x"}))


def field_html(form, name, **extra) -> str:
    context = {"field": form[name], **extra}
    with_args = "".join(f" {k}={k}" for k in extra)
    return Template('{% include "components/field.html" with field=field' + with_args + " %}").render(Context(context))


def _tag(html: str, tag: str) -> str:
    return re.search(rf"<{tag}\b[^>]*>", html).group(0)


def test_a_valid_input_names_its_hint_only():
    html = field_html(SampleForm(), "title")
    assert 'class="fr-input-group"' in html and "fr-input-group--error" not in html
    assert '<label class="fr-label" for="id_title">Intitulé<span class="fr-hint-text" id="id_title_helptext">' in html
    tag = _tag(html, "input")
    assert 'name="title"' in tag and 'id="id_title"' in tag and 'class="fr-input"' in tag
    assert 'aria-describedby="id_title_helptext"' in tag and "aria-invalid" not in tag
    assert "fr-error-text" not in html


def test_an_invalid_input_is_in_the_error_state_and_names_its_error():
    form = SampleForm(data={"title": "x" * 30})
    assert not form.is_valid()
    html = field_html(form, "title")
    assert 'class="fr-input-group fr-input-group--error"' in html
    tag = _tag(html, "input")
    assert 'aria-describedby="id_title_helptext id_title-erreur"' in tag and 'aria-invalid="true"' in tag
    error = re.search(r'<p id="id_title-erreur" class="fr-error-text">([^<]*)</p>', html)
    assert error and "20 caractères" in error.group(1)


def test_select_upload_and_a_form_s_own_class():
    form = SampleForm(data={})
    form.is_valid()
    select = field_html(form, "kind")
    assert 'class="fr-select-group fr-select-group--error"' in select
    assert 'class="fr-select"' in _tag(select, "select") and 'aria-describedby="id_kind-erreur"' in _tag(select, "select")
    upload = field_html(form, "annex")
    assert 'class="fr-upload-group"' in upload and 'class="fr-upload"' in _tag(upload, "input")
    styled = field_html(form, "styled")
    assert 'class="fr-input q-x"' in _tag(styled, "input")


def test_a_checkbox():
    form = SampleForm(data={})
    form.is_valid()
    html = field_html(form, "agree")
    assert 'class="fr-checkbox-group fr-checkbox-group--error"' in html
    tag = _tag(html, "input")
    assert 'type="checkbox"' in tag and "class=" not in tag and 'aria-describedby="id_agree-erreur"' in tag
    assert html.index("<input") < html.index("<label")  # the DSFR checkbox: input first, then label


def test_checkboxes_and_radios_are_a_fieldset_labelled_by_legend_and_error():
    form = SampleForm(data={"stance": "x"})
    form.is_valid()
    html = field_html(form, "stance")
    assert 'class="fr-fieldset fr-fieldset--error" id="id_stance-fieldset"' in html
    assert 'aria-labelledby="id_stance-legende id_stance-erreur"' in html
    assert html.count('class="fr-radio-group"') == 2 and 'id="id_stance_0"' in html and 'for="id_stance_1"' in html
    assert '<div class="fr-messages-group" id="id_stance-erreur" aria-live="assertive">' in html
    themes = field_html(SampleForm(), "themes")
    assert themes.count('class="fr-checkbox-group"') == 2 and "fr-fieldset--error" not in themes
    assert 'aria-labelledby="id_themes-legende"' in themes


def test_label_override_and_screen_reader_label():
    html = field_html(SampleForm(), "title", label="Nom de l'action", sr_label=1)
    assert '<label class="fr-label fr-sr-only" for="id_title">Nom de l&#x27;action<span class="fr-hint-text fr-sr-only"' in html
    assert 'aria-describedby="id_title_helptext"' in _tag(html, "input")
