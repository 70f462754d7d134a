import factory
from django.contrib.auth.models import Group

from counselling.models import Case, Client
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Role

PASSWORD = "correct horse battery staple 함께"


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "B" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    name_ko = factory.LazyAttribute(lambda o: f"{o.code} 지부")
    name_en = factory.LazyAttribute(lambda o: f"{o.code} branch")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    role = Role.COUNSELLOR
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMINISTRATOR)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if create and extracted:
            self.branches.set(extracted)

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create:
            # get_or_create: transactional tests flush the groups the migration made.
            self.groups.set([Group.objects.get_or_create(name=self.role)[0]])
            self.save()


def bulk_cases(branch, actor, count):
    """`count` active cases of clients "Bulk 0", "Bulk 1"... of `branch`, each assigned
    to `actor`, written in three statements (for exports longer than a chunk)."""
    clients = Client.objects.bulk_create(
        [
            Client(
                branch=branch,
                case_code=f"{branch.code}-2020-{n:05d}",
                name_romanised=f"Bulk {n}",
                created_by=actor,
            )
            for n in range(count)
        ]
    )
    cases = Case.objects.bulk_create(
        [
            Case(
                client=c,
                branch=branch,
                created_by=actor,
                status="active",
                summary="A secret summary",
            )
            for c in clients
        ]
    )
    Case.assigned.through.objects.bulk_create(
        [Case.assigned.through(case_id=case.pk, user_id=actor.pk) for case in cases]
    )
    return cases
