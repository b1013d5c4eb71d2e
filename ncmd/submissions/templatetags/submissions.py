"""`{% load submissions %}`: `user|can:"EDIT_FORMS"` asks the registry's one permission check,
so a page owned by another app can show links to the web forms only to those who may use them."""

from django import template

from ncmd.registry.authorization import Permission, has_permission

register = template.Library()


@register.filter
def can(user, permission_name):
    return has_permission(user, Permission[permission_name])
