"""Read-mostly admin for the registry; writes go through the services and their screens."""

from django.contrib import admin
from django.http import HttpRequest

from pandai.inmates.models import Block, Card, Cell, Inmate


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "site", "capacity"]
    list_filter = ["site"]


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin):
    list_display = ["code", "block", "capacity"]
    list_filter = ["block__site"]


@admin.register(Inmate)
class InmateAdmin(admin.ModelAdmin):
    list_display = ["reg_no", "full_name", "site", "status"]
    search_fields = ["reg_no", "full_name"]
    list_filter = ["site", "status"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["uid", "inmate", "status", "issued_at"]
    search_fields = ["uid"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
