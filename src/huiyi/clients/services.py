"""State changes of clients and contacts."""

from django.db import transaction

from .models import Client, Contact


@transaction.atomic
def create_client(*, created_by=None, **fields) -> Client:
    client = Client(created_by=created_by, **fields)
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def update_client(client: Client, **changes) -> Client:
    for field, value in changes.items():
        setattr(client, field, value)
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def add_contact(client: Client, *, created_by=None, **fields) -> Contact:
    contact = Contact(client=client, created_by=created_by, **fields)
    contact.full_clean()
    if contact.is_primary:
        client.contacts.filter(is_primary=True).update(is_primary=False)
    contact.save()
    return contact
