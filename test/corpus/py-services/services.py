"""Internal services: an aiohttp API, a Lambda handler and shared helpers."""
import hashlib
import json
import os
import subprocess as sp
import xml.etree.ElementTree as ET

import aiohttp
from aiohttp import web
from Crypto.Cipher import AES
from Crypto.Cipher import DES as D
from lxml import etree

import psycopg2

conn = psycopg2.connect(os.environ["DATABASE_URL"])
ENC_KEY = os.environ["ENC_KEY"].encode()


def run_report(name):
    return sp.run(f"report-gen --name {name}", shell=True, capture_output=True)


def find_orders(customer):
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders WHERE customer = '%s'" % customer)
    return cur.fetchall()


def find_orders_safe(customer):
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders WHERE customer = %s", (customer,))
    return cur.fetchall()


def encrypt_legacy(data: bytes) -> bytes:
    cipher = D.new(ENC_KEY[:8], D.MODE_ECB)
    return cipher.encrypt(data)


def encrypt(data: bytes) -> bytes:
    cipher = AES.new(ENC_KEY, AES.MODE_GCM)
    ciphertext, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce + tag + ciphertext


async def report(request: web.Request):
    result = run_report(request.query["name"])
    return web.Response(text=result.stdout.decode())


async def orders(request: web.Request):
    data = await request.json()
    return web.json_response(find_orders(data["customer"]))


async def orders_safe(request: web.Request):
    data = await request.json()
    return web.json_response(find_orders_safe(data["customer"]))


async def fetch_avatar(request: web.Request):
    url = request.query["avatar"]
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return web.Response(body=await resp.read())


async def parse_invoice(request: web.Request):
    body = await request.read()
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(body, parser)
    return web.json_response({"total": doc.findtext("total")})


def checksum(path):
    with open(path, "rb") as fh:
        return hashlib.md5(fh.read()).hexdigest()


def lambda_handler(event, context):
    params = event.get("queryStringParameters") or {}
    sp.call("convert /tmp/in.png -resize " + params["size"] + " /tmp/out.png", shell=True)
    return {"statusCode": 200, "body": json.dumps({"ok": True})}


def parse_config(text):
    return ET.fromstring(text)


app = web.Application()
app.add_routes([
    web.get("/report", report),
    web.post("/orders", orders),
    web.post("/orders/safe", orders_safe),
    web.get("/avatar", fetch_avatar),
    web.post("/invoice", parse_invoice),
])
