from django import forms

from quartiers.frameworks.matching import MAX_AUDIENCE, MAX_DESCRIPTION, MAX_TITLE


class ProposalForm(forms.Form):
    """« Quelle priorité pour mon projet ? » — the neighbourhood and a description of the idea."""

    neighbourhood = forms.ChoiceField(label="Quartier prioritaire")
    title = forms.CharField(
        label="Titre du projet", max_length=MAX_TITLE, required=False,
        help_text="Par exemple : « Aide aux devoirs au pied des immeubles ».",
        error_messages={"max_length": "Le titre est trop long (%(limit_value)d caractères au plus, vous en avez saisi %(show_value)d)."},
    )
    description = forms.CharField(
        label="Description du projet", max_length=MAX_DESCRIPTION, required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ce que fera l'action, pour qui, où et quand : quelques phrases suffisent.",
        error_messages={"max_length": "La description est trop longue (%(limit_value)d caractères au plus, vous en avez saisi %(show_value)d)."},
    )
    audience = forms.CharField(
        label="Public visé (facultatif)", max_length=MAX_AUDIENCE, required=False,
        help_text="Par exemple : « collégiens du quartier », « parents », « femmes éloignées de l'emploi ».",
        error_messages={"max_length": "Le public visé est trop long (%(limit_value)d caractères au plus)."},
    )

    def __init__(self, *args, neighbourhoods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].choices = [("", "Choisissez un quartier"), *neighbourhoods]
        self.fields["neighbourhood"].error_messages = {
            "required": "Choisissez le quartier où l'action aura lieu.",
            "invalid_choice": "Ce quartier n'existe pas dans le référentiel publié : choisissez-en un dans la liste.",
        }
