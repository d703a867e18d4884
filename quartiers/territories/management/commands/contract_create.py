"""`quartiers contract-create CODE_CV [--slug SLUG]`: create a contract of this instance from the national
reference (its name, lead, department and QPVs) and print its slug on the last line."""

from django.core.management.base import BaseCommand, CommandError

from quartiers.territories.services import ContractCreateError, contract_create_from_reference


class Command(BaseCommand):
    help = ("Crée sur cette instance le contrat de ville CODE_CV (par exemple CN03002I) à partir du référentiel "
            "national, avec ses quartiers prioritaires ; affiche son identifiant court en dernière ligne.")

    def add_arguments(self, parser):
        parser.add_argument("code", metavar="CODE_CV", help="code ANCT du contrat de ville, par exemple CN03002I")
        parser.add_argument("--slug", default="", help="identifiant court (par défaut : tiré du nom du contrat)")

    def handle(self, *args, code: str, slug: str = "", **options):
        try:
            created = contract_create_from_reference(code=code, slug=slug)
        except ContractCreateError as exc:
            raise CommandError(str(exc)) from exc
        contract = created.contract
        self.stdout.write(f"Contrat créé : {contract.name} ({contract.code}), porteur : {contract.lead_name or '—'}")
        if created.attached:
            self.stdout.write(f"Quartiers prioritaires rattachés ({len(created.attached)}) : "
                              f"{', '.join(created.attached)}")
        else:
            self.stdout.write("Aucun quartier prioritaire rattaché.")
        for qpv, other in created.kept_elsewhere.items():
            self.stdout.write(f"{qpv} reste rattaché au contrat « {other} » de cette instance.")
        self.stdout.write(contract.slug)
