"""``bench/measure.py registry`` fills the administration's registry from the portal's filed records (bench/README.md,
"One run, in order"), so the public query the benchmark loads finds what applicants filed: only what is filed and
not cancelled, all active, and a second run writes nothing. Set-based SQL: PostgreSQL only, as the benchmark is."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from miit.models import RegistryDomain, RegistrySubject, RegistryWebsite
from subjects.models import Subject
from websites.models import Domain, Website

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(scope="module")
def measure():
    """bench/measure.py as a module (bench/ is not a package)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "measure.py"
    spec = importlib.util.spec_from_file_location("bench_measure", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _registry(measure, capsys) -> dict:
    measure.registry()
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_the_registry_step_files_what_the_portal_filed_and_the_public_query_finds_it(client, measure, capsys):
    call_command("seed_orders", orders=200, seed=11, reviewers=2, verbosity=0)
    filed = Domain.objects.filter(status="active", website__status="active", website__subject__status="active")
    assert filed.exists()
    first = _registry(measure, capsys)
    assert first["method"] == ("INSERT … SELECT" if connection.vendor == "postgresql" else "bulk_create")

    subjects = Subject.objects.filter(status="active")
    websites = Website.objects.filter(status="active", subject__status="active")
    assert first["written"] == {"subjects": subjects.count(), "websites": websites.count(), "domains": filed.count()}
    assert first["in_registry"] == first["written"]
    assert set(RegistrySubject.objects.values_list("icp_number", flat=True)) == set(
        subjects.values_list("icp_number", flat=True)
    )
    assert set(RegistryDomain.objects.values_list("ascii_name", flat=True)) == set(
        filed.values_list("ascii_name", flat=True)
    )
    # Nothing cancelled or with its access removed is in it.
    gone = Website.objects.exclude(status="active").values_list("icp_number", flat=True)
    assert not RegistryWebsite.objects.filter(icp_number__in=list(gone)).exists()
    assert set(RegistryWebsite.objects.values_list("status", flat=True)) == {"active"}

    # A seeded applicant's filed domain, in the registry with its subject, as the public query shows it.
    domain = filed.select_related("website__subject").order_by("-pk").first()
    subject, website = domain.website.subject, domain.website
    record = RegistryDomain.objects.select_related("website__subject").get(ascii_name=domain.ascii_name)
    assert (record.website.icp_number, record.website.name) == (website.icp_number, website.name)
    assert (record.website.subject.icp_number, record.website.subject.name) == (subject.icp_number, subject.name)
    assert record.website.subject.certificate_number == subject.certificate_number
    assert record.website.subject.last_website_index >= int(website.icp_number.rsplit("-", 1)[1])

    answer = client.get(reverse("api:public_icp"), {"kind": "domain", "q": domain.name})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["icp_number"] for r in results] == [subject.icp_number]
    assert results[0]["websites"][0]["icp_number"] == website.icp_number
    assert domain.name in results[0]["websites"][0]["domains"]
    page = client.get(reverse("miit:public_query"), {"kind": "domain", "q": domain.name})
    assert page.status_code == 200 and subject.icp_number in page.content.decode()

    # Idempotent: a second run writes nothing and fails on nothing.
    again = _registry(measure, capsys)
    assert again["written"] == {"subjects": 0, "websites": 0, "domains": 0}
    assert again["in_registry"] == first["in_registry"]


def test_the_public_query_lines_are_four_in_five_filed(client, measure, capsys):
    call_command("seed_orders", orders=200, seed=11, reviewers=2, verbosity=0)
    _registry(measure, capsys)
    names, mix = measure._query_domains(50)
    assert mix["filed"] == 40 and mix["unfiled"] == 10 and mix["filed_subjects"] > 20
    assert len(names) == len(set(names)) == 50
    filed = set(RegistryDomain.objects.values_list("name", flat=True))
    assert [name in filed for name in names] == [i % 5 != 4 for i in range(50)]
    for name, hit in zip(names[:5], [True, True, True, True, False], strict=True):
        answer = client.get(reverse("api:public_icp"), {"kind": "domain", "q": name})
        assert answer.status_code == 200 and (answer.json()["count"] > 0) == hit
