from sqlalchemy import text


def test_db_is_postgres(db):
    with db.connect() as c:
        assert "PostgreSQL" in c.execute(text("select version()")).scalar_one()
