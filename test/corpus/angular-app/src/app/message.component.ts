import { Component, OnInit } from "@angular/core";
import { ActivatedRoute } from "@angular/router";
import { DomSanitizer, SafeHtml } from "@angular/platform-browser";
import { HttpClient } from "@angular/common/http";

@Component({
  selector: "app-message",
  template: `
    <h2>{{ title }}</h2>
    <div [innerHTML]="preview"></div>
    <div [innerHTML]="trusted"></div>
  `,
})
export class MessageComponent implements OnInit {
  title = "";
  preview = "";
  trusted: SafeHtml = "";

  constructor(
    private route: ActivatedRoute,
    private sanitizer: DomSanitizer,
    private http: HttpClient,
  ) {}

  ngOnInit(): void {
    const msg = this.route.snapshot.queryParamMap.get("msg") ?? "";
    this.title = msg;
    this.preview = msg;
    this.trusted = this.sanitizer.bypassSecurityTrustHtml(msg);
    this.http.get("http://legacy-api.shop-example.com/messages").subscribe();
  }
}
