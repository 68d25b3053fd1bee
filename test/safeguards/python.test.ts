// Removed safeguards in Python (Django, DRF, Flask, FastAPI): flagged cases and quiet twins.
import { describe, expect, it } from "vitest";
import { lines, removals } from "./helpers.js";

describe("removed safeguards: Python", () => {
  it("flags @login_required removed from a Django view; quiet when swapped for @permission_required", async () => {
    const before = lines("from django.contrib.auth.decorators import login_required", "", "@login_required", "def delete_account(request):", "    request.user.delete()");
    const after = lines("from django.contrib.auth.decorators import login_required", "", "def delete_account(request):", "    request.user.delete()");
    const found = await removals("accounts/views.py", before, after);
    expect(found.map((f) => [f.ruleId, f.line, f.removed?.line])).toEqual([["py-removed-auth-route", 3, 3]]);
    expect(found[0]!.message).toContain("`@login_required` (old line 3)");
    const swapped = before.replace("@login_required", "@permission_required('accounts.delete_user')");
    expect(await removals("accounts/views.py", before, swapped)).toEqual([]);
  });

  it("flags DRF permission_classes opened to AllowAny; quiet when the class is renamed to an equivalent", async () => {
    const before = lines("class InvoiceViewSet(viewsets.ModelViewSet):", "    permission_classes = [IsAuthenticated]", "    queryset = Invoice.objects.all()");
    const found = await removals("billing/views.py", before, before.replace("IsAuthenticated", "AllowAny"));
    // py-authz-drf-allow-any-writable flags the new line itself: one flaw, one comment.
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["py-authz-drf-allow-any-writable", 2]]);
    expect(await removals("billing/views.py", before, before.replace("IsAuthenticated", "IsAuthenticatedOrReadOnly"))).toEqual([]);
    const decorated = lines("@api_view(['POST'])", "@permission_classes([IsAdminUser])", "def refund(request):", "    pass");
    expect((await removals("billing/api.py", decorated, decorated.replace("@permission_classes([IsAdminUser])\n", ""))).map((f) => f.ruleId)).toEqual(["py-removed-auth-route"]);
  });

  it("flags Depends(get_current_user) removed from a FastAPI route; quiet when moved to the router's dependencies", async () => {
    const before = lines(
      "router = APIRouter()",
      "",
      "@router.delete('/items/{item_id}')",
      "def delete_item(item_id: int, user: User = Depends(get_current_user)):",
      "    return crud.delete(item_id)",
    );
    const after = before.replace(", user: User = Depends(get_current_user)", "");
    const found = await removals("app/api/items.py", before, after);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["py-removed-auth-route", 4]]);
    expect(found[0]!.message).toContain("`Depends(get_current_user)`");
    const moved = after.replace("router = APIRouter()", "router = APIRouter(dependencies=[Depends(get_current_user)])");
    expect(await removals("app/api/items.py", before, moved)).toEqual([]);
    const annotated = before.replace("user: User = Depends(get_current_user)", "user: Annotated[User, Depends(get_current_user)]");
    expect(await removals("app/api/items.py", before, annotated)).toEqual([]);
  });

  it("flags the router-level auth dependency removed, and a route moved out from under it", async () => {
    const before = lines(
      "admin = APIRouter(dependencies=[Depends(require_admin)])",
      "public = APIRouter()",
      "",
      "@admin.post('/users/{uid}/ban')",
      "def ban(uid: int):",
      "    ...",
    );
    const removed = before.replace("APIRouter(dependencies=[Depends(require_admin)])", "APIRouter()");
    expect((await removals("app/admin.py", before, removed)).map((f) => [f.ruleId, f.line])).toEqual([["py-removed-auth-router", 1]]);
    const moved = before.replace("@admin.post", "@public.post");
    const found = await removals("app/admin.py", before, moved);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["py-removed-auth-router", 4]]);
    expect(found[0]!.message).toContain("POST /users/{uid}/ban moved out from under");
  });

  it("flags Django CsrfViewMiddleware removed (commented out); quiet when MIDDLEWARE is only reordered", async () => {
    const before = lines(
      "MIDDLEWARE = [",
      "    'django.middleware.security.SecurityMiddleware',",
      "    'django.contrib.sessions.middleware.SessionMiddleware',",
      "    'django.middleware.csrf.CsrfViewMiddleware',",
      "]",
    );
    const after = before.replace("    'django.middleware.csrf.CsrfViewMiddleware',", "    # 'django.middleware.csrf.CsrfViewMiddleware',");
    const found = await removals("mysite/settings.py", before, after);
    expect(found.map((f) => [f.ruleId, f.category, f.line])).toEqual([["py-removed-csrf", "csrf", 4]]);
    expect(found[0]!.message).toContain("old line 4");
    const reordered = lines(
      "MIDDLEWARE = [",
      "    'django.middleware.security.SecurityMiddleware',",
      "    'django.middleware.csrf.CsrfViewMiddleware',",
      "    'django.contrib.sessions.middleware.SessionMiddleware',",
      "]",
    );
    expect(await removals("mysite/settings.py", before, reordered)).toEqual([]);
    // SecurityMiddleware removed: security headers
    const noSecurity = before.replace("    'django.middleware.security.SecurityMiddleware',\n", "");
    expect((await removals("mysite/settings.py", before, noSecurity)).map((f) => f.ruleId)).toEqual(["py-removed-security-headers"]);
  });

  it("flags Flask-WTF CSRFProtect removed; quiet when it moves to the init_app pattern", async () => {
    const before = lines("app = Flask(__name__)", "csrf = CSRFProtect(app)", "Talisman(app)");
    const found = await removals("app.py", before, lines("app = Flask(__name__)", "Talisman(app)"));
    expect(found.map((f) => [f.ruleId, f.category])).toEqual([["py-removed-csrf", "csrf"]]);
    const factory = lines("csrf = CSRFProtect()", "app = Flask(__name__)", "Talisman(app)");
    expect(await removals("app.py", before, factory)).toEqual([]);
  });

  it("flags CORS allow_origins opened to '*'; quiet when the allow-list comes from settings", async () => {
    const before = lines("app.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'], allow_credentials=True)");
    const found = await removals("main.py", before, before.replace("['https://app.example.com']", "['*']"));
    expect(found.map((f) => f.category)).toEqual(["security-config"]);
    expect(found[0]!.message).toMatch(/removed CORS origin allow-list|replaced a safe version/);
    expect(await removals("main.py", before, before.replace("['https://app.example.com']", "settings.CORS_ORIGINS"))).toEqual([]);
  });

  it("flags a limiter removed from the login view; quiet when its limit changes", async () => {
    const before = lines("@app.route('/login', methods=['POST'])", "@limiter.limit('5 per minute')", "def login():", "    return do_login()");
    const found = await removals("auth.py", before, before.replace("@limiter.limit('5 per minute')\n", ""));
    expect(found.map((f) => [f.category, f.line])).toEqual([["rate-limit", 2]]);
    expect(found[0]!.message).toContain("`@limiter.limit('5 per minute')` (old line 2)");
    expect(await removals("auth.py", before, before.replace("5 per minute", "10 per hour"))).toEqual([]);
  });

  it("flags a limiter key moved from the account to the IP", async () => {
    const before = lines("@limiter.limit('5/minute', key_func=lambda: request.form['email'])", "def login():", "    ...");
    const found = await removals("auth.py", before, before.replace("lambda: request.form['email']", "get_remote_address"));
    expect(found.map((f) => f.category)).toContain("rate-limit");
    expect(found.some((f) => f.message.includes("per-account rate-limit key"))).toBe(true);
    expect(await removals("auth.py", before, before.replace("request.form['email']", "request.form['email'].lower()"))).toEqual([]);
  });

  it("attaches 'replaced a safe version' when verify=True becomes verify=False, and flags verify=ca_bundle removed", async () => {
    const before = lines("def fetch(url):", "    return requests.get(url, verify=True, timeout=5)");
    const off = await removals("client.py", before, before.replace("verify=True", "verify=False"));
    expect(off).toHaveLength(1);
    expect(off[0]!.category).toBe("tls");
    expect(off[0]!.message).toContain("replaced a safe version");
    const bundle = lines("def fetch(url):", "    return requests.get(url, verify=CA_BUNDLE, timeout=5)");
    expect((await removals("client.py", bundle, lines("def fetch(url):", "    return requests.get(url, timeout=5)"))).map((f) => f.ruleId)).toEqual(["py-removed-tls-verification"]);
    expect(await removals("client.py", bundle, bundle.replace("CA_BUNDLE", "settings.CA_BUNDLE"))).toEqual([]);
  });

  it("flags Jinja autoescape turned off; quiet when select_autoescape replaces autoescape=True", async () => {
    const before = lines("env = Environment(loader=FileSystemLoader('templates'), autoescape=True)");
    const found = await removals("render.py", before, before.replace("autoescape=True", "autoescape=False"));
    expect(found.map((f) => f.category)).toEqual(["xss"]);
    expect(await removals("render.py", before, before.replace("autoescape=True", "autoescape=select_autoescape(['html'])"))).toEqual([]);
  });

  it("flags SESSION_COOKIE_SECURE removed from settings, and httponly=True removed from set_cookie", async () => {
    const before = lines("SESSION_COOKIE_SECURE = True", "SESSION_COOKIE_HTTPONLY = True");
    const found = await removals("settings.py", before, lines("SESSION_COOKIE_HTTPONLY = True"));
    expect(found.map((f) => [f.ruleId, f.category, f.line])).toEqual([["py-removed-cookie-flag", "session", 1]]);
    const view = lines("def login(request):", "    resp.set_cookie('sid', sid, httponly=True, secure=True)");
    const noFlags = await removals("views.py", view, lines("def login(request):", "    resp.set_cookie('sid', sid)"));
    // The missing Secure flag is also what py-session-cookie-flags-missing flags on the new line.
    expect(noFlags.map((f) => f.ruleId).sort()).toEqual(["py-removed-cookie-flag", "py-session-cookie-flags-missing"]);
    expect(await removals("settings.py", before, lines("SESSION_COOKIE_HTTPONLY = True", "SESSION_COOKIE_SECURE = True"))).toEqual([]);
  });

  it("flags algorithms= removed from jwt.decode; quiet when the algorithm list changes", async () => {
    const before = lines("def current_user(token):", "    claims = jwt.decode(token, SECRET, algorithms=['HS256'])");
    const found = await removals("auth.py", before, before.replace(", algorithms=['HS256']", ""));
    expect(found.map((f) => f.category)).toEqual(["session"]);
    expect(await removals("auth.py", before, before.replace("['HS256']", "[settings.JWT_ALG]"))).toEqual([]);
  });

  it("flags a pydantic body model replaced by a raw request; quiet when the model is renamed", async () => {
    const before = lines("@app.post('/orders')", "async def create_order(order: OrderCreate):", "    return await crud.create(order)");
    const raw = lines("@app.post('/orders')", "async def create_order(request: Request):", "    return await crud.create(await request.json())");
    const found = await removals("main.py", before, raw);
    expect(found.map((f) => [f.ruleId, f.category])).toEqual([["py-removed-input-validation", "input-validation"]]);
    expect(await removals("main.py", before, before.replace(/OrderCreate/g, "OrderIn"))).toEqual([]);
    const marshmallow = lines("def create():", "    data = OrderSchema().load(request.json)", "    return save(data)");
    const removed = lines("def create():", "    data = request.json", "    return save(data)");
    expect((await removals("views.py", marshmallow, removed)).map((f) => f.ruleId)).toEqual(["py-removed-input-validation"]);
  });

  it("says an f-string query replaced a parameterized one, on the SQL finding", async () => {
    const before = lines("def get_user(uid):", "    cursor.execute('SELECT * FROM users WHERE id = %s', (uid,))");
    const found = await removals("db.py", before, lines("def get_user(uid):", "    cursor.execute(f'SELECT * FROM users WHERE id = {uid}')"));
    expect(found).toHaveLength(1);
    expect(found[0]!.category).toBe("sql-injection");
    expect(found[0]!.message).toContain("It replaced a safe version: parameterized query");
    expect(await removals("db.py", before, before.replace("%s', (uid,)", ":id', {'id': uid}"))).toEqual([]);
  });
});
