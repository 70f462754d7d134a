"""The progress of a dataset's generation and its cancel, through the real
worker path (services.dataset_generate via the Celery task): stages and
percentages, the polled progress bar, a cancel that stops the run and stores
nothing, a cancel after the end that changes nothing, and who may do what."""

import pytest
import time_machine
from django.utils import timezone

from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib import progress
from ngo.lib.progress import Cancelled, Stage
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset
from policy_monitor.statistics.tasks import generate_dataset
from tests.conftest import verified_client as signed_in
from tests.statistics_world import build_world


def verified_client(user):
    """Signed in, reading English."""
    client = signed_in(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def _one_day():
    with time_machine.travel(timezone.now(), tick=False):
        yield


@pytest.fixture
def world(make_case, personas, branch_a):
    return build_world(make_case, personas, branch_a)


def queued(actor, branches=(), measures=("clients", "cases")):
    today = timezone.localdate()
    dataset = dataset_services.dataset_create(
        actor=actor,
        title="UPR annex",
        period_from=today,
        period_to=today,
        dimensions=["nationality"],
        measures=list(measures),
        branches=list(branches),
        min_cell_size=3,
    )
    dataset.refresh_from_db()
    return dataset


def cancel_events(dataset):
    return AuditEvent.objects.filter(
        object_id=str(dataset.pk), reason__in=["cancel_generation", "generation_cancelled"]
    )


def test_a_generation_reports_its_stages_and_ends_done(world, personas):
    dataset = queued(personas.policy_officer)
    assert (dataset.progress_stage, dataset.progress_percent) == (Stage.WAITING, 0)
    seen = []
    dataset_services.compute_tables(dataset, on_progress=seen.append)
    # From 0, once more after each count, to 100.
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen)
    assert len(seen) > len(dataset.measures)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "generated"
    dataset.refresh_from_db()
    assert (dataset.progress_stage, dataset.progress_percent) == (Stage.DONE, 100)
    assert dataset.status == DatasetStatus.GENERATED


def test_a_cancel_flagged_before_the_worker_runs_stops_it_and_stores_nothing(world, personas):
    dataset = queued(personas.policy_officer)
    assert progress.request_cancel(StatisticsDataset, dataset.pk)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "cancelled"
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.DRAFT
    assert dataset.tables == {}
    assert dataset.generated_at is None and dataset.counted_clients == 0
    assert dataset.progress_stage == Stage.CANCELLED
    assert cancel_events(dataset).get().reason == "generation_cancelled"
    page = verified_client(personas.policy_officer).get(f"/policy/statistics/{dataset.pk}/")
    assert "Generation cancelled" in page.content.decode()


def test_a_cancel_between_two_reports_stops_at_the_next_one(world, personas):
    dataset = queued(personas.policy_officer)
    reports = []

    def on_progress(percent):
        progress.report(StatisticsDataset, dataset.pk, stage=Stage.COUNTING, percent=percent)
        reports.append(percent)
        progress.request_cancel(StatisticsDataset, dataset.pk)  # arrives after the first

    with pytest.raises(Cancelled):
        dataset_services.compute_tables(dataset, on_progress=on_progress)
    assert len(reports) == 1  # the cancel was noticed at the second report
    dataset.refresh_from_db()
    assert dataset.progress_percent == reports[0] and dataset.tables == {}


def test_a_cancel_of_a_running_generation_is_taken_by_the_worker(world, personas):
    dataset = queued(personas.policy_officer)
    # A worker claimed it and was then cut off; the next run takes over.
    StatisticsDataset.objects.filter(pk=dataset.pk).update(
        generation_started_at=timezone.now() - dataset_services.STALE_CLAIM * 2,
        progress_stage=Stage.COUNTING,
        progress_percent=30,
    )
    response = verified_client(personas.policy_officer).post(
        f"/api/v1/statistics-datasets/{dataset.pk}/cancel/", content_type="application/json"
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"  # the worker stops it at its next report
    assert response.json()["progress"] == {"stage": "counting", "percent": 30}
    assert generate_dataset.apply(args=[dataset.pk]).get() == "cancelled"
    dataset.refresh_from_db()
    assert (dataset.status, dataset.tables) == (DatasetStatus.DRAFT, {})
    assert set(cancel_events(dataset).values_list("reason", flat=True)) == {
        "cancel_generation",
        "generation_cancelled",
    }
    again = verified_client(personas.policy_officer).post(
        f"/api/v1/statistics-datasets/{dataset.pk}/cancel/", content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["message"] == (
        "Nothing is being generated: there is nothing to cancel."
    )


def test_a_cancel_before_any_worker_took_it_goes_back_to_draft_at_once(world, personas):
    dataset = queued(personas.policy_officer)
    client = verified_client(personas.policy_officer)
    response = client.post(f"/policy/statistics/{dataset.pk}/cancel/", follow=True)
    assert response.status_code == 200
    assert "Generation cancelled" in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.DRAFT
    assert generate_dataset.apply(args=[dataset.pk]).get() == "skipped"
    event = cancel_events(dataset).get()
    assert (event.action, event.actor) == (AuditAction.UPDATE, personas.policy_officer)
    # Generated again later: a fresh run, the earlier cancel forgotten.
    dataset_services.dataset_request_generation(actor=personas.policy_officer, dataset=dataset)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "generated"


def test_a_cancel_after_the_end_changes_nothing(world, personas):
    dataset = queued(personas.policy_officer)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "generated"
    dataset.refresh_from_db()
    tables = dataset.tables
    client = verified_client(personas.policy_officer)
    api = client.post(
        f"/api/v1/statistics-datasets/{dataset.pk}/cancel/", content_type="application/json"
    )
    assert api.status_code == 409
    screen = client.post(f"/policy/statistics/{dataset.pk}/cancel/", follow=True)
    assert "there is nothing to cancel" in screen.content.decode()
    dataset.refresh_from_db()
    assert (dataset.status, dataset.tables) == (DatasetStatus.GENERATED, tables)
    assert dataset.cancel_requested_at is None
    assert not cancel_events(dataset).exists()


def test_the_progress_bar_polls_shows_stage_and_percent_and_reloads_when_done(
    world, personas, branch_a
):
    dataset = queued(personas.policy_officer, branches=[branch_a])
    progress.report(StatisticsDataset, dataset.pk, stage=Stage.PROTECTING, percent=64)
    url = f"/policy/statistics/{dataset.pk}/progress/"
    officer = verified_client(personas.policy_officer)
    page = officer.get(f"/policy/statistics/{dataset.pk}/").content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    poll = officer.get(url)
    body = poll.content.decode()
    assert poll.status_code == 200 and "HX-Refresh" not in poll
    assert "data-progress-percent>64%<" in body
    assert "Protecting small counts" in body
    assert f'action="/policy/statistics/{dataset.pk}/cancel/"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    manager = verified_client(personas.manager_a).get(url)  # reads her branch, cannot cancel
    assert manager.status_code == 200
    assert "data-progress-percent>64%<" in manager.content.decode()
    assert "/cancel/" not in manager.content.decode()
    for persona in ("counsellor_a", "volunteer", "coordinator"):
        assert verified_client(getattr(personas, persona)).get(url).status_code == 404
    api = officer.get(f"/api/v1/statistics-datasets/{dataset.pk}/").json()
    assert api["progress"] == {"stage": "protecting", "percent": 64}
    generate_dataset.apply(args=[dataset.pk]).get()
    done = officer.get(url)
    assert done["HX-Refresh"] == "true"
    assert "/cancel/" not in done.content.decode()


def test_only_writers_cancel_and_only_by_post(world, personas, branch_a):
    dataset = queued(personas.policy_officer, branches=[branch_a])
    url = f"/policy/statistics/{dataset.pk}/cancel/"
    api_url = f"/api/v1/statistics-datasets/{dataset.pk}/cancel/"
    assert verified_client(personas.manager_a).post(url).status_code == 403
    assert verified_client(personas.manager_a).post(api_url).status_code == 403
    assert verified_client(personas.counsellor_a).post(url).status_code == 404
    assert verified_client(personas.counsellor_a).post(api_url).status_code == 403
    assert verified_client(personas.policy_officer).get(url).status_code == 405
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.QUEUED and dataset.cancel_requested_at is None
    assert not cancel_events(dataset).exists()
