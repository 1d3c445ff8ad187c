"""One applicant at a time: subjects with their histories of orders, each order with its application, websites,
domains, service numbers and events on a path through the state table, and the filed records of what was approved.
Rows go to ``rows.Table`` buffers; ``Seeder.flush`` hands them to the writer."""

import random
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from accounts.constants import Role
from core import clock
from filings.constants import (
    APPLICANT_HELD_STATES,
    CANCELLATION_TYPES,
    FINAL_STATES,
    PASSWORD_TYPES,
    PROVIDER_QUEUE_STATES,
    WEBSITE_TYPES,
    ActorKind,
)
from filings.models import (
    DomainApplication,
    FieldRemark,
    FilingOrder,
    OrderEvent,
    PersonApplication,
    SubjectApplication,
    WebsiteApplication,
)
from regions.models import ProvinceRule, Region
from subjects.constants import NATURE_CERTIFICATE_TYPES, CertificateType, RecordStatus, SubjectNature
from subjects.models import Person, Subject
from websites.constants import Billing, ServiceNumberStatus
from websites.models import CloudInstance, Domain, ServiceContent, ServiceNumber, Website

from .mix import (
    ACQUISITION_TYPES,
    APPLICANT_ACTIONS,
    BRANDS,
    CLAIM_STATES,
    CLOUD_REGIONS,
    DAY,
    DETOURS,
    DOMAINS_PER_WEBSITE,
    EXPIRE_REASON,
    EXPIRED_FROM,
    FINAL_MIX,
    FOLLOW_UP_TYPES,
    GIVEN,
    HELD_PER_REVIEWER,
    HOUR,
    IN_PROCESS_SHARE,
    IN_PROCESS_STATES_MIX,
    INDUSTRIES,
    NATURE_MIX,
    PROVINCE_POPULATION,
    QUEUE_ENTRIES,
    REMARKS,
    REVIEWER_ACTIONS,
    SINCE_ENTRY,
    SITE_KINDS,
    SMS_STATES,
    STEP_SECONDS,
    STREETS,
    SUBMITS,
    SUFFIXES,
    SURNAMES,
    USCC_PREFIX,
    VALIDITY,
    WEBSITES_PER_ORDER,
    WITHDRAWN_FROM,
    S,
    T,
)
from .rows import Ids, Table, Writer


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.serial = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def person(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def mobile(self) -> str:
        return self.rng.choice(("13", "15", "17", "18", "19")) + f"{self.rng.randrange(10**9):09d}"

    def resident_id(self, district: str, serial: int) -> str:
        # Unique per serial: birth date and sequence both come from it.
        born = date(1960, 1, 1) + timedelta(days=(serial // 1000) % 16000)
        body = f"{district}{born:%Y%m%d}{serial % 1000:03d}"
        return body + ric.calc_check_digit(body)

    def uscc(self, nature: str, district: str, serial: int) -> str:
        body = f"{USCC_PREFIX.get(nature, '91')}{district}{serial:09d}"
        return body + uscc.calc_check_digit(body)


class Seeder:
    """Buffers the rows of applicants (``applicant``) and reviewers (``add_reviewers``); ``flush`` writes them."""

    def __init__(self, *, seed: int, use_copy: bool, due_for_expiry: bool, statuses: list[str] | None):
        self.rng = random.Random(seed)
        self.names = Names(self.rng)
        self.use_copy = use_copy
        self.due_for_expiry = due_for_expiry
        self.statuses = statuses
        self.now = clock.now()
        self.password = make_password(None)
        self.rows_written = defaultdict(int)
        # A thread writes on a connection of its own: not when the caller has a transaction open (a test's, say),
        # whose rows and sequences the thread could not see.
        self.writer = Writer(self._write, threaded=use_copy and not connection.in_atomic_block)
        self._load_reference()
        self._tables()
        self.reviewers: list[int] = []
        self.held: dict[int, int] = defaultdict(int)
        self.buffered_orders = 0

    # reference data -------------------------------------------------------------------------------------------------
    def _load_reference(self):
        regions = list(Region.objects.filter(is_active=True).values_list("code", "level", "parent_id", "abbreviation"))
        if not regions:
            raise CommandError("No regions: run `manage.py load_reference_data` first.")
        self.children = defaultdict(list)
        self.abbreviation = {}
        for code, level, parent, abbreviation in regions:
            if parent:
                self.children[parent].append(code)
            if level == "province":
                self.abbreviation[code] = abbreviation
        self.provinces = [code for code in PROVINCE_POPULATION if code in self.abbreviation]
        self.province_weights = [PROVINCE_POPULATION[code] for code in self.provinces]
        sms = {}
        for province, required in ProvinceRule.objects.order_by("province_id", "effective_from").values_list(
            "province_id", "sms_verification_required"
        ):
            sms[province] = required  # the latest row wins
        self.sms_required = sms
        contents = list(ServiceContent.objects.filter(is_active=True).values_list("code", "allowed_for_individuals"))
        self.contents = [code for code, _personal in contents] or ["other"]
        self.personal_contents = [code for code, personal in contents if personal] or self.contents[-1:]
        self.groups = {
            role: Group.objects.get_or_create(name=role.value)[0].pk for role in (Role.APPLICANT, Role.REVIEWER)
        }

    def _tables(self):
        """One buffer per table, in the order a batch is written (what a row points at comes first)."""
        subject = "province_id city_id district_id nature certificate_type certificate_number name certificate_address "
        subject += "mailing_address investor remarks"
        person = "name certificate_type certificate_number mobile office_phone emergency_phone email"
        website = "name homepage_url service_content languages pre_approvals remarks"
        User = get_user_model()
        columns = {
            "user": (User, "id password email full_name is_staff is_active date_joined"),
            "user_group": (User.groups.through, "id user_id group_id"),
            "instance": (
                CloudInstance,
                "id owner_id instance_id name region billing subscription_end public_bandwidth_mbps public_ip "
                "created_at",
            ),
            "number": (ServiceNumber, "id instance_id number status created_at bound_at used_at"),
            "person": (Person, f"id {person} subject_id created_at"),
            "subject": (
                Subject,
                f"id {subject} owner_id principal_id icp_number status filed_at created_at updated_at",
            ),
            "website": (
                Website,
                f"id {website} subject_id principal_id icp_number status filed_at created_at updated_at",
            ),
            "domain": (Domain, "id name ascii_name website_id status created_at"),
            "order": (
                FilingOrder,
                "id number applicant_id order_type status province_id subject_id target_website_id "
                "subject_certificate_type subject_certificate_number icp_password_encrypted created_at submitted_at "
                "last_submitted_at expires_at validity_left due_at status_changed_at assignee_id completed_at "
                "edited_at updated_at",
            ),
            "person_app": (PersonApplication, f"id {person} order_id existing_person_id mobile_verified_at"),
            "subject_app": (SubjectApplication, f"id {subject} order_id principal_id"),
            "website_app": (
                WebsiteApplication,
                f"id {website} order_id position principal_id existing_website_id service_number_id",
            ),
            "domain_app": (DomainApplication, "id name ascii_name website_id"),
            "event": (
                OrderEvent,
                "id order_id action from_status to_status actor_id actor_kind reason details created_at",
            ),
            "remark": (FieldRemark, "id order_id event_id field code message created_at resolved_at"),
        }
        self.tables = {name: Table(model, tuple(names.split())) for name, (model, names) in columns.items()}
        self.ids = {name: Ids(table.model) for name, table in self.tables.items()}
        # Serial numbers (certificates, domains) start past any earlier run's: an order id never handed out before,
        # times the serials an order may use.
        self.serial_base = self.ids["order"].take() * 40

    def _id(self, table: str) -> int:
        return self.ids[table].take()

    def flush(self) -> None:
        """Hand the buffered rows to the writer: one transaction per batch, in the tables' order (every foreign key
        of a batch points into the same batch or into the database)."""
        batch = [(name, table, table.take_rows()) for name, table in self.tables.items()]
        self.buffered_orders = 0
        self.writer.put(batch)

    def _write(self, batch) -> None:
        with transaction.atomic():
            for name, table, rows in batch:
                self.rows_written[name] += table.write(rows, self.use_copy)

    # users ------------------------------------------------------------------------------------------------------------
    def _user(self, kind: str, role: Role, joined, *, staff_name: str = "") -> int:
        uid = self._id("user")
        email = f"{kind}{uid}@bench.example.com"
        self.tables["user"].add(uid, self.password, email, staff_name or self.names.person(), False, True, joined)
        self.tables["user_group"].add(self._id("user_group"), uid, self.groups[role])
        return uid

    def add_reviewers(self, count: int) -> list[int]:
        for _ in range(count):
            self.reviewers.append(self._user("reviewer", Role.REVIEWER, self.now - 700 * DAY))
        return self.reviewers

    # one applicant ----------------------------------------------------------------------------------------------------
    def applicant(self, budget: int, kind: str = "applicant") -> int:
        """An applicant with ``budget`` orders over one or more subject histories. Returns the user id."""
        uid = self._id("user")
        self.cloud = {"owner": uid, "instance": None, "left": 0}
        earliest = self.now
        while budget > 0:
            plan = self._plan(budget)
            budget -= len(plan)
            earliest = min(earliest, self._history(uid, plan))
        name = self.names.person()
        self.tables["user"].add(
            uid, self.password, f"{kind}{uid}@bench.example.com", name, False, True, earliest - 3 * DAY
        )
        self.tables["user_group"].add(self._id("user_group"), uid, self.groups[Role.APPLICANT])
        return uid

    def _plan(self, budget: int) -> list[list]:
        """[type, state] of one subject's orders, oldest first; only the last may be in process."""
        rng = self.rng
        if self.due_for_expiry or self.statuses:
            states = sorted(APPLICANT_HELD_STATES) if self.due_for_expiry else self.statuses
            kind, state = pick(rng, ACQUISITION_TYPES), rng.choice(states)
            while not _reachable(kind, state):
                kind, state = pick(rng, ACQUISITION_TYPES), rng.choice(states)
            return [[kind, state]]
        acquisition = pick(rng, ACQUISITION_TYPES)
        plan = []
        if rng.random() < 0.18:
            plan.append([acquisition, rng.choice((S.WITHDRAWN, S.EXPIRED))])
        plan.append([acquisition, S.APPROVED])
        for _ in range(min(int(rng.expovariate(0.9)), 6)):
            kind = pick(rng, FOLLOW_UP_TYPES)
            plan.append([kind, pick(rng, FINAL_MIX)])
            if kind == T.CANCEL_SUBJECT and plan[-1][1] == S.APPROVED:
                break
        plan = plan[:budget]
        last = plan[-1]
        if rng.random() < IN_PROCESS_SHARE:
            last[1] = pick(rng, IN_PROCESS_STATES_MIX)
            while not _reachable(last[0], last[1]):
                last[1] = pick(rng, IN_PROCESS_STATES_MIX)
        elif len(plan) == 1 and rng.random() < 0.25:
            last[1] = pick(rng, FINAL_MIX)
        return plan

    # one subject's history --------------------------------------------------------------------------------------------
    def _history(self, uid: int, plan: list[list]):
        """Write one subject's orders and, if it got filed, its filed records. Returns when its first order began."""
        rng, names = self.rng, self.names
        province = rng.choices(self.provinces, weights=self.province_weights)[0]
        city = rng.choice(self.children[province] or [None])
        district = rng.choice(self.children.get(city) or [None]) if city else None
        code = district or city or province
        nature = pick(rng, NATURE_MIX)
        serial = names.next_serial() + self.serial_base
        holder = names.person()
        if nature == SubjectNature.INDIVIDUAL:
            certificate_type, certificate, name = CertificateType.RESIDENT_ID, names.resident_id(code, serial), holder
        else:
            certificate_type = NATURE_CERTIFICATE_TYPES[nature][0]
            certificate = names.uscc(nature, code, serial)
            name = f"{rng.choice(BRANDS)[0]}{rng.choice(INDUSTRIES)}{serial % 9973}有限公司"
        street = f"{rng.choice(STREETS)}{rng.randrange(1, 999)}号"
        history = {
            "subject": {
                "province_id": province,
                "city_id": city,
                "district_id": district,
                "nature": nature,
                "certificate_type": certificate_type,
                "certificate_number": certificate,
                "name": name,
                "certificate_address": street,
                "mailing_address": street,
                "investor": holder,
                "remarks": "",
            },
            "principal": self._person_values(holder, code),
            "filed": None,  # the filed subject once an acquisition is approved
            "principal_person": None,
            "people": {},  # filed website principals: id -> values
            "websites": [],  # filed websites
        }
        if plan[-1][1] == S.INITIAL_REVIEW and not self._capacity():
            plan[-1][1] = S.PENDING_INITIAL_REVIEW

        # Timing: backwards from now, the last order first, a gap of days to months between orders.
        placed, end = [], None
        for kind, state in reversed(plan):
            steps = self._path(kind, state, province)
            durations = self._durations(steps)
            if end is None:
                end = self._last_event_time(state, steps, durations)
            else:
                end = placed[-1][3][0] - timedelta(seconds=rng.uniform(86400, 200 * 86400))
            start = end - timedelta(seconds=sum(durations))
            times, at = [], start
            for seconds in durations:
                at += timedelta(seconds=seconds)
                times.append(at)
            placed.append((kind, state, steps, times))
        placed.reverse()
        for kind, state, steps, times in placed:
            self._order(uid, history, kind, state, steps, times)
        self._write_filed(uid, history)
        return placed[0][3][0]

    def _person_values(self, name: str, code: str) -> dict:
        names = self.names
        return {
            "name": name,
            "certificate_type": CertificateType.RESIDENT_ID,
            "certificate_number": names.resident_id(code, names.next_serial() + self.serial_base),
            "mobile": names.mobile(),
            "office_phone": f"086-0{self.rng.randrange(10, 999)}-{self.rng.randrange(10**7, 10**8)}",
            "emergency_phone": names.mobile(),
            "email": f"p{self.rng.randrange(10**9)}@example.cn",
        }

    # the path through the state table ---------------------------------------------------------------------------------
    def _path(self, kind: str, state: str, province: str) -> list[tuple[str, str, str]]:
        """[(action, from, to)] from the draft's creation to ``state``, with the occasional rejection loop."""
        rng = self.rng
        cancellation = kind in CANCELLATION_TYPES
        sms = not cancellation and (self.sms_required.get(province, True) or state in SMS_STATES)
        happy = [("submit", S.PENDING_INITIAL_REVIEW), ("start_initial_review", S.INITIAL_REVIEW)]
        if rng.random() < 0.12:
            happy += [
                ("reject_initial_review", S.INITIAL_REJECTED),
                ("resubmit", S.PENDING_INITIAL_REVIEW),
                ("start_initial_review", S.INITIAL_REVIEW),
            ]
        if kind == T.CLAIM:
            happy.append(("pass_initial_review", S.APPROVED))
        else:
            if cancellation:
                happy.append(("pass_initial_review", S.PENDING_MIIT_SUBMISSION))
            else:
                happy += [("pass_initial_review", S.PENDING_PHOTO), ("submit_photos", S.PHOTO_REVIEW)]
                if rng.random() < 0.15:
                    happy += [("reject_photo_review", S.PENDING_PHOTO), ("submit_photos", S.PHOTO_REVIEW)]
                happy.append(("pass_photo_review", S.PENDING_MIIT_SUBMISSION))
            if sms:
                happy.append(("forward_to_administration", S.SMS_VERIFICATION))
                if rng.random() < 0.05:
                    happy += [("fail_sms_verification", S.MIIT_RETURNED), ("resubmit_unchanged", S.SMS_VERIFICATION)]
                happy.append(("complete_sms_verification", S.MIIT_REVIEW))
            else:
                happy.append(("forward_to_administration", S.MIIT_REVIEW))
            happy.append(("approve", S.APPROVED))

        def upto(target: str) -> list:
            if target == S.DRAFT:
                return []
            if target in DETOURS:
                before, action = DETOURS[target]
                return [*upto(before), (action, target)]
            # The first time the happy path reaches it (a later visit would repeat a loop for nothing).
            index = next(i for i, (_action, to) in enumerate(happy) if to == target)
            return happy[: index + 1]

        if state == S.WITHDRAWN:
            source = rng.choice([s for s in WITHDRAWN_FROM if _reachable(kind, s)])
            path = [*upto(source), ("withdraw", S.WITHDRAWN)]
        elif state == S.EXPIRED:
            source = rng.choice([s for s in EXPIRED_FROM if _reachable(kind, s)])
            path = [*upto(source), ("expire", S.EXPIRED)]
        else:
            path = upto(state)
        steps, current = [("create", "", S.DRAFT)], S.DRAFT
        for action, to in path:
            steps.append((action, current, to))
            current = to
        return steps

    # timing -----------------------------------------------------------------------------------------------------------
    def _durations(self, steps) -> list[float]:
        """Seconds from the previous event to each step (the first: 0). Expiry comes when 45 held days are used."""
        rng, out, held = self.rng, [0.0], 0.0
        for action, from_status, _to in steps[1:]:
            if action == "expire":
                seconds = max(VALIDITY.total_seconds() - held, 60.0)
            else:
                seconds = rng.uniform(*STEP_SECONDS[action])
            if from_status in APPLICANT_HELD_STATES:
                held += seconds
            out.append(seconds)
        return out

    def _last_event_time(self, state, steps, durations):
        rng = self.rng
        if state in FINAL_STATES:
            return self.now - timedelta(seconds=rng.uniform(3600, 900 * 86400))
        if state in APPLICANT_HELD_STATES:
            left = _validity_left(steps, durations)
            if self.due_for_expiry:
                # Ran out between a minute and three days ago.
                return self.now - timedelta(seconds=left + rng.uniform(60, 3 * 86400))
            return self.now - timedelta(seconds=rng.uniform(0, left - 2 * 3600))
        return self.now - timedelta(seconds=rng.uniform(*SINCE_ENTRY[state]))

    # one order --------------------------------------------------------------------------------------------------------
    def _order(self, uid, history, kind, state, steps, times):
        rng, t = self.rng, self.tables
        oid = self._id("order")
        subject = history["subject"]
        if kind in FOLLOW_UP_TYPES and history["filed"] is None:
            kind = T.FIRST_FILING  # the budget cut the history before its acquisition: a first filing
        follow_up = kind in FOLLOW_UP_TYPES and history["filed"]["status"] == RecordStatus.ACTIVE
        if kind in FOLLOW_UP_TYPES and not follow_up:
            kind = T.FIRST_FILING  # the subject was cancelled: it is filed anew
        target = None
        if kind in (T.CHANGE_WEBSITE, T.CANCEL_WEBSITE, T.CANCEL_ACCESS):
            active = [w for w in history["websites"] if w["status"] == RecordStatus.ACTIVE]
            if active:
                target = rng.choice(active)
            else:
                kind = T.ADD_WEBSITE
        if state == S.APPROVED and not follow_up and kind not in CANCELLATION_TYPES:
            self._file_subject(history, times[-1])

        # The application: a copy of the filed subject for a follow-up, else what was entered.
        principal_app = self._id("person_app")
        submitted = times[1] if len(times) > 1 else None
        existing = history["principal_person"] if follow_up else None
        t["person_app"].add(principal_app, *history["principal"].values(), oid, existing, submitted)
        t["subject_app"].add(self._id("subject_app"), *subject.values(), oid, principal_app)
        websites = []
        if kind in WEBSITE_TYPES or kind == T.CLAIM:
            count = 1 if kind in (T.CLAIM, T.CHANGE_WEBSITE, T.CONTINUE_TRANSFER_IN) else pick(rng, WEBSITES_PER_ORDER)
            for position in range(count):
                websites.append(self._website_app(oid, kind, state, position, history, principal_app, target, times))
        numbers = self._approve(history, kind, websites, target, times[-1]) if state == S.APPROVED else {}

        queue_entry, assignee = self._events(oid, uid, steps, times, history, numbers)
        last = times[-1]
        expires_at = validity_left = due_at = None
        left = timedelta(seconds=_validity_left(steps[:-1] if state == S.EXPIRED else steps, None, times))
        if state in APPLICANT_HELD_STATES:
            expires_at = last + max(left, 3 * HOUR)
        elif state == S.EXPIRED:
            expires_at = last
        elif state not in FINAL_STATES:
            validity_left = max(left, timedelta(0))
        if state in PROVIDER_QUEUE_STATES:
            due_at = _one_working_day(queue_entry or last)
        submits = [times[i] for i, step in enumerate(steps) if step[0] in SUBMITS]
        filed = history["filed"]
        t["order"].add(
            oid,
            _order_number(oid),
            uid,
            kind,
            state,
            subject["province_id"],
            filed["id"] if filed and (follow_up or state == S.APPROVED) else None,
            target["id"] if target else None,
            subject["certificate_type"],
            subject["certificate_number"],
            "bench-not-a-real-ciphertext" if kind in PASSWORD_TYPES else "",
            times[0],
            submits[0] if submits else None,
            submits[-1] if submits else None,
            expires_at,
            validity_left,
            due_at,
            last,
            assignee,
            last if state in FINAL_STATES else None,
            None,
            last,
        )
        self.buffered_orders += 1

    def _website_app(self, oid, kind, state, position, history, principal_app, target, times) -> dict:
        rng, t = self.rng, self.tables
        subject = history["subject"]
        wid = self._id("website_app")
        personal = subject["nature"] == SubjectNature.INDIVIDUAL
        changes = target if kind == T.CHANGE_WEBSITE else None
        if changes is not None:
            name, domains = changes["name"], list(changes["domains"])
            if rng.random() < 0.4:
                domains.append(self._domain_name(subject))
        else:
            kind_of_site = "的个人博客" if personal else rng.choice(SITE_KINDS)
            name = f"{subject['name'] if personal else subject['name'][:2]}{kind_of_site}"
            domains = [self._domain_name(subject) for _ in range(pick(rng, DOMAINS_PER_WEBSITE))]
        principal, values = principal_app, None
        if rng.random() < 0.35:
            principal = self._id("person_app")
            values = self._person_values(self.names.person(), subject["district_id"] or subject["province_id"])
            t["person_app"].add(principal, *values.values(), oid, None, times[1] if len(times) > 1 else None)
        number = self._service_number(state, times) if kind in WEBSITE_TYPES else None
        t["website_app"].add(
            wid,
            name,
            f"https://www.{domains[0][1]}/",
            [rng.choice(self.personal_contents if personal else self.contents)],
            ["zh_hans"],
            [],
            "",
            oid,
            position,
            principal,
            changes["id"] if changes is not None else None,
            number,
        )
        for unicode_name, ascii_name in domains:
            t["domain_app"].add(self._id("domain_app"), unicode_name, ascii_name, wid)
        return {"id": wid, "name": name, "domains": domains, "principal": values}

    def _domain_name(self, subject) -> tuple[str, str]:
        serial = self.names.next_serial() + self.serial_base
        suffix = pick(self.rng, SUFFIXES)
        if suffix == "中国":
            name = f"{subject['name'][:2]}{serial}.中国"
            return name, name.encode("idna").decode("ascii")
        name = f"{self.rng.choice(BRANDS)[1]}{serial}.{suffix}"
        return name, name

    def _service_number(self, state, times) -> int | None:
        """A number bound to the website: used once approved, free again when the order ended without approval."""
        if state == S.DRAFT and self.rng.random() < 0.4:
            return None
        cloud, t = self.cloud, self.tables
        if cloud["left"] == 0:
            # At most five numbers per instance, ever: a new instance for the next five.
            cloud["instance"], cloud["left"] = self._id("instance"), 5
            t["instance"].add(
                cloud["instance"],
                cloud["owner"],
                f"i-bench{cloud['instance']:014d}",
                f"web-{cloud['instance']}",
                self.rng.choice(CLOUD_REGIONS),
                Billing.SUBSCRIPTION,
                (self.now + timedelta(days=self.rng.uniform(30, 700))).date(),
                self.rng.choice((1, 3, 5, 10)),
                None,
                times[0] - timedelta(days=self.rng.uniform(1, 60)),
            )
        cloud["left"] -= 1
        sid = self._id("number")
        status, bound_at, used_at = ServiceNumberStatus.BOUND, times[0], None
        if state == S.APPROVED:
            status, used_at = ServiceNumberStatus.USED, times[-1]
        elif state in (S.WITHDRAWN, S.EXPIRED):
            status, bound_at = ServiceNumberStatus.UNBOUND, None
        t["number"].add(sid, cloud["instance"], _service_number_text(sid), status, times[0], bound_at, used_at)
        return sid

    def _events(self, oid, uid, steps, times, history, numbers) -> tuple:
        """Write the order's events (and the remarks of its rejections). Returns (queue entry time, assignee)."""
        rng, t = self.rng, self.tables
        final = steps[-1][2]
        holder = None
        if final == S.INITIAL_REVIEW or (final == S.PHOTO_REVIEW and rng.random() < 0.4):
            holder = self._holder()
        reviewer, queue_entry = None, None
        for i, (action, from_status, to_status) in enumerate(steps):
            eid = self._id("event")
            if action in APPLICANT_ACTIONS:
                actor, actor_kind = uid, ActorKind.APPLICANT
            elif action in REVIEWER_ACTIONS:
                if action == "start_initial_review" or reviewer is None:
                    last_claim = final == S.INITIAL_REVIEW and i == len(steps) - 1
                    reviewer = holder if last_claim else (rng.choice(self.reviewers) if self.reviewers else None)
                actor, actor_kind = reviewer, ActorKind.REVIEWER
            else:
                actor, actor_kind = None, ActorKind.SYSTEM if action == "expire" else ActorKind.ADMINISTRATION
            details = {}
            if action == "forward_to_administration":
                details = {"sms_required": to_status == S.SMS_VERIFICATION}
            elif action == "approve":
                details = numbers
            reason = EXPIRE_REASON if action == "expire" else ""
            if action in REMARKS:
                chosen = rng.sample(REMARKS[action], k=min(len(REMARKS[action]), rng.choice((1, 1, 2))))
                reason = "; ".join(message for _field, message in chosen)
                # Resolved by the next move (a resubmission); open while the order still waits for the fix.
                resolved = times[i + 1] if i + 1 < len(steps) else None
                for field, message in chosen:
                    t["remark"].add(self._id("remark"), oid, eid, field, "", message, times[i], resolved)
            t["event"].add(eid, oid, action, from_status, to_status, actor, actor_kind, reason, details, times[i])
            if to_status in QUEUE_ENTRIES:
                queue_entry = times[i]
        return queue_entry, holder

    def _capacity(self) -> bool:
        return any(self.held[r] < HELD_PER_REVIEWER for r in self.reviewers)

    def _holder(self):
        """A reviewer who may hold one more order (a few each, well under the claim limit)."""
        free = [r for r in self.reviewers if self.held[r] < HELD_PER_REVIEWER]
        if not free:
            return None
        reviewer = self.rng.choice(free)
        self.held[reviewer] += 1
        return reviewer

    # the filed records ------------------------------------------------------------------------------------------------
    def _file_subject(self, history, at):
        assert history["filed"] is None, "one filed subject per history: a cancellation ends it"
        sid = self._id("subject")
        number = f"{self.abbreviation[history['subject']['province_id']]}ICP备19{sid:08d}号"
        history["filed"] = {"id": sid, "number": number, "status": RecordStatus.ACTIVE, "filed_at": at}
        history["principal_person"] = self._id("person")

    def _approve(self, history, kind, websites, target, at) -> dict:
        """What the approval writes (filings.records), kept in ``history`` until the history is written. Returns the
        approval event's details."""
        filed = history["filed"]
        if kind == T.CANCEL_SUBJECT:
            filed["status"] = RecordStatus.CANCELLED
            for website in history["websites"]:
                website["status"] = RecordStatus.CANCELLED
        elif kind in CANCELLATION_TYPES:
            target["status"] = RecordStatus.CANCELLED if kind == T.CANCEL_WEBSITE else RecordStatus.ACCESS_REMOVED
        numbers = {}
        for website in websites:
            if kind == T.CHANGE_WEBSITE:
                target["domains"] = website["domains"]
                numbers[str(website["id"])] = target["number"]
                continue
            principal = history["principal_person"]
            if website["principal"] is not None:
                principal = self._id("person")
                history["people"][principal] = website["principal"]
            number = f"{filed['number']}-{len(history['websites']) + 1}"
            numbers[str(website["id"])] = number
            history["websites"].append(
                {
                    "id": self._id("website"),
                    "name": website["name"],
                    "domains": website["domains"],
                    "principal": principal,
                    "status": RecordStatus.ACTIVE,
                    "filed_at": at,
                    "number": number,
                }
            )
        return {"subject_icp_number": filed["number"], "website_numbers": numbers}

    def _write_filed(self, uid, history):
        filed = history["filed"]
        if filed is None:
            return
        t, at = self.tables, filed["filed_at"]
        principal = history["principal_person"]
        t["person"].add(principal, *history["principal"].values(), filed["id"], at)
        for pid, values in history["people"].items():
            t["person"].add(pid, *values.values(), filed["id"], at)
        t["subject"].add(
            filed["id"],
            *history["subject"].values(),
            uid,
            principal,
            filed["number"],
            filed["status"],
            at,
            at,
            self.now,
        )
        for website in history["websites"]:
            t["website"].add(
                website["id"],
                website["name"],
                f"https://www.{website['domains'][0][1]}/",
                [self.contents[0]],
                ["zh_hans"],
                [],
                "",
                filed["id"],
                website["principal"],
                website["number"],
                website["status"],
                website["filed_at"],
                website["filed_at"],
                self.now,
            )
            active = website["status"] == RecordStatus.ACTIVE
            for unicode_name, ascii_name in website["domains"]:
                status = RecordStatus.ACTIVE if active else RecordStatus.CANCELLED
                t["domain"].add(
                    self._id("domain"), unicode_name, ascii_name, website["id"], status, website["filed_at"]
                )


def _reachable(kind: str, state: str) -> bool:
    if kind == T.CLAIM:
        return state in CLAIM_STATES
    if kind in CANCELLATION_TYPES:
        return state not in {S.PENDING_PHOTO, S.PHOTO_REVIEW, *SMS_STATES}
    return True


def _validity_left(steps, durations=None, times=None) -> float:
    """Seconds of the 45 days left after the applicant's time in held states up to the last step."""
    if durations is None:
        durations = [0.0] + [(times[i] - times[i - 1]).total_seconds() for i in range(1, len(times))]
    used = sum(
        d for (_a, source, _t), d in zip(steps[1:], durations[1:], strict=False) if source in APPLICANT_HELD_STATES
    )
    return VALIDITY.total_seconds() - used


def _one_working_day(moment):
    """One working day later (weekends skipped; the holiday calendar is left to the real services)."""
    local = timezone.localtime(moment) + DAY
    while local.weekday() >= 5:
        local += DAY
    return local


def _order_number(pk: int) -> str:
    # Unique (a bijection of the id modulo 2**48) and as random-looking as the real ones.
    return "ICP" + f"{(pk * 0x9E3779B97F4B) % (1 << 48):012X}"


def _service_number_text(pk: int) -> str:
    raw = f"{(pk * 0xD1B54A32D192ED03) % (1 << 80):020X}"
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def budgets(rng: random.Random, total: int, applicants: int) -> list[int]:
    """Orders per applicant: at least one each, a long tail (most have one to three)."""
    if applicants <= 0 or total <= 0:
        return []
    applicants = min(applicants, total)
    weights = [rng.paretovariate(1.6) for _ in range(applicants)]
    scale = (total - applicants) / sum(weights)
    shares = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % applicants] += 1
    return shares
