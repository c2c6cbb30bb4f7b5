import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def test_echo(gql):
    body = await gql.execute("query($t: String!) { echo(text: $t) { message } }", {"t": "hi"})
    assert body == {"data": {"echo": {"message": "hi"}}}
