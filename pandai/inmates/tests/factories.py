"""factory_boy factories for blocks, cells, inmates and cards."""

import datetime as dt

import factory

from pandai.core.tests.factories import SiteFactory
from pandai.inmates.models import Block, Card, Cell, Inmate


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"B{n}")
    name = factory.LazyAttribute(lambda o: f"Blok {o.code}")
    capacity = 60


class CellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cell

    block = factory.SubFactory(BlockFactory)
    code = factory.Sequence(lambda n: f"K{n:02d}")
    capacity = 10


class InmateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inmate

    site = factory.SubFactory(SiteFactory)
    reg_no = factory.Sequence(lambda n: f"AI.{n + 100}/2024")
    full_name = factory.Faker("name", locale="id_ID")
    gender = "L"
    birth_date = dt.date(1990, 5, 17)
    legal_status = "tahanan"
    admission_date = dt.date(2024, 3, 1)
    cell = factory.LazyAttribute(lambda o: CellFactory(block=BlockFactory(site=o.site)))


class CardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    inmate = factory.SubFactory(InmateFactory)
    site = factory.LazyAttribute(lambda o: o.inmate.site)
    uid = factory.Sequence(lambda n: f"04{n:012X}")
    uid32 = factory.LazyAttribute(lambda o: o.uid[:8])
