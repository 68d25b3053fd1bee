"""Inventory API (FastAPI), following the FastAPI tutorial's security and SQL chapters."""
import os
import secrets
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated

import httpx
import jwt
from fastapi import Depends, FastAPI, HTTPException, Query, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from passlib.context import CryptContext
from pydantic import BaseModel, Field
from slowapi import Limiter
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .db import Item, User, get_session

SECRET_KEY = os.environ["JWT_SECRET"]
ALGORITHM = "HS256"
REPORTS = Path("/srv/reports").resolve()
PARTNER_API = "https://partners.example.org/v1"

pwd_context = CryptContext(schemes=["argon2"], deprecated="auto")
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def account_key(request) -> str:
    return request.headers.get("x-login-account", "") or request.client.host


limiter = Limiter(key_func=account_key)
app = FastAPI()
app.state.limiter = limiter
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://inventory.example.org"],
    allow_credentials=True,
    allow_methods=["GET", "POST", "PATCH", "DELETE"],
)


class ItemUpdate(BaseModel):
    name: str = Field(max_length=100)
    quantity: int = Field(ge=0, le=100_000)


def create_access_token(subject: str) -> str:
    expire = datetime.now(timezone.utc) + timedelta(minutes=30)
    return jwt.encode({"sub": subject, "exp": expire}, SECRET_KEY, algorithm=ALGORITHM)


def current_user(token: Annotated[str, Depends(oauth2_scheme)], db: Session = Depends(get_session)) -> User:
    try:
        payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
    user = db.scalar(select(User).where(User.username == payload.get("sub")))
    if user is None:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
    return user


@app.post("/token")
@limiter.limit("5/minute")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], db: Session = Depends(get_session)):
    user = db.scalar(select(User).where(User.username == form.username))
    if user is None or not pwd_context.verify(form.password, user.password_hash):
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="Incorrect username or password")
    return {"access_token": create_access_token(user.username), "token_type": "bearer"}


@app.get("/items")
def list_items(q: str = Query("", max_length=50), user: User = Depends(current_user), db: Session = Depends(get_session)):
    rows = db.execute(
        text("SELECT id, name, quantity FROM items WHERE owner_id = :owner AND name LIKE :pattern"),
        {"owner": user.id, "pattern": f"%{q}%"},
    )
    return [dict(r._mapping) for r in rows]


@app.patch("/items/{item_id}")
def update_item(item_id: int, body: ItemUpdate, user: User = Depends(current_user), db: Session = Depends(get_session)):
    item = db.scalar(select(Item).where(Item.id == item_id, Item.owner_id == user.id))
    if item is None:
        raise HTTPException(status_code=404)
    item.name = body.name
    item.quantity = body.quantity
    db.commit()
    return {"ok": True}


@app.delete("/items/{item_id}", status_code=204)
def delete_item(item_id: int, user: User = Depends(current_user), db: Session = Depends(get_session)):
    item = db.scalar(select(Item).where(Item.id == item_id, Item.owner_id == user.id))
    if item is None:
        raise HTTPException(status_code=404)
    db.delete(item)
    db.commit()


@app.get("/reports/{name}")
def report(name: str, user: User = Depends(current_user)):
    path = (REPORTS / name).resolve()
    if not path.is_relative_to(REPORTS) or not path.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(path)


@app.post("/api-keys")
def new_api_key(user: User = Depends(current_user)):
    return {"key": secrets.token_urlsafe(32)}


@app.get("/partners/{partner_id}")
async def partner(partner_id: int, user: User = Depends(current_user)):
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.get(f"{PARTNER_API}/partners/{partner_id}")
    return resp.json()


@app.post("/backup")
def backup(user: User = Depends(current_user)):
    if not user.is_admin:
        raise HTTPException(status_code=403)
    subprocess.run(["pg_dump", "--file", "/srv/backups/inventory.sql", "inventory"], check=True)
    return {"ok": True}


@app.get("/back")
def back():
    return RedirectResponse("/items")
