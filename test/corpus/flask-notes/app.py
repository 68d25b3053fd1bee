"""Team notes service (Flask). Started from the Flask tutorial, extended with an assistant."""
import hashlib
import os
import pickle
import random
import sqlite3
import subprocess

import requests
import yaml
from flask import Flask, g, jsonify, redirect, render_template_string, request, send_file, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-notes-secret"
app.config["SESSION_COOKIE_SECURE"] = False

DATABASE = os.path.join(app.root_path, "notes.db")
UPLOAD_FOLDER = os.path.join(app.root_path, "uploads")


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.row_factory = sqlite3.Row
    return g.db


def hash_password(password):
    return hashlib.sha1(password.encode()).hexdigest()


@app.route("/register", methods=["POST"])
def register():
    db = get_db()
    db.execute(
        "INSERT INTO user (username, password) VALUES (?, ?)",
        (request.form["username"], hash_password(request.form["password"])),
    )
    db.commit()
    return jsonify(ok=True), 201


@app.route("/login", methods=["POST"])
def login():
    username = request.form["username"]
    password = request.form["password"]
    db = get_db()
    user = db.execute(f"SELECT * FROM user WHERE username = '{username}'").fetchone()
    if user is None or user["password"] != hash_password(password):
        return jsonify(error="invalid credentials"), 401
    session["user_id"] = user["id"]
    return jsonify(ok=True)


@app.route("/notes/search")
def search_notes():
    term = request.args.get("q", "")
    db = get_db()
    rows = db.execute("SELECT id, title FROM note WHERE title LIKE ?", ("%" + term + "%",)).fetchall()
    return jsonify([dict(r) for r in rows])


@app.route("/notes/<int:note_id>", methods=["DELETE"])
def delete_note(note_id):
    db = get_db()
    db.execute("DELETE FROM note WHERE id = ?", (note_id,))
    db.commit()
    return "", 204


@app.route("/hello")
def hello():
    name = request.args.get("name", "stranger")
    return render_template_string("<h1>Hello " + name + "</h1>")


@app.route("/greet")
def greet():
    name = request.args.get("name", "stranger")
    return render_template_string("<h1>Hello {{ name }}</h1>", name=name)


@app.route("/files/<path:filename>")
def download(filename):
    return send_file(os.path.join(UPLOAD_FOLDER, filename))


@app.route("/ping")
def ping():
    host = request.args.get("host", "127.0.0.1")
    output = subprocess.check_output("ping -c 1 " + host, shell=True)
    return output


@app.route("/uptime")
def uptime():
    return subprocess.check_output(["uptime"])


@app.route("/import", methods=["POST"])
def import_notes():
    notes = pickle.loads(request.get_data())
    return jsonify(count=len(notes))


@app.route("/settings", methods=["POST"])
def settings():
    data = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(data)


@app.route("/settings/safe", methods=["POST"])
def settings_safe():
    data = yaml.safe_load(request.data)
    return jsonify(data)


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    resp = requests.get(url, timeout=5, verify=False)
    return resp.text


@app.route("/logout")
def logout():
    session.clear()
    return redirect(request.args.get("next", "/"))


@app.route("/invite", methods=["POST"])
def invite():
    code = "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    return jsonify(code=code)


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
