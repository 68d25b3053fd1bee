import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from .models import Comment, Post


def post_detail(request, slug):
    post = get_object_or_404(Post, slug=slug, published=True)
    return render(request, "blog/post_detail.html", {"post": post})


def search(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title FROM blog_post WHERE title LIKE '%%%s%%'" % term)
        rows = cursor.fetchall()
    return JsonResponse({"results": rows})


def archive(request):
    year = request.GET.get("year", "2024")
    posts = Post.objects.raw("SELECT * FROM blog_post WHERE strftime('%%Y', created) = %s", [year])
    return render(request, "blog/archive.html", {"posts": posts})


def comment_preview(req):
    text = req.POST.get("text", "")
    return HttpResponse(mark_safe("<div class='comment'>" + text + "</div>"))


@login_required
def add_comment(request, post_id):
    post = get_object_or_404(Post, pk=post_id)
    Comment.objects.create(post=post, author=request.user, **request.POST.dict())
    return HttpResponseRedirect(post.get_absolute_url())


@login_required
def delete_comment(request, comment_id):
    comment = get_object_or_404(Comment, pk=comment_id, author=request.user)
    comment.delete()
    return HttpResponseRedirect("/")


def delete_post(request, post_id):
    Post.objects.filter(pk=post_id).delete()
    return HttpResponseRedirect("/")


@csrf_exempt
@login_required
def transfer_ownership(request, post_id):
    post = get_object_or_404(Post, pk=post_id, author=request.user)
    post.author_id = request.POST["new_owner"]
    post.save()
    return JsonResponse({"ok": True})


def attachment(request):
    name = request.GET["name"]
    return FileResponse(open(os.path.join(settings.MEDIA_ROOT, name), "rb"))


def after_login(request):
    return HttpResponseRedirect(request.GET.get("next", "/"))
