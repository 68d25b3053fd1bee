import { Injectable } from "@angular/core";
import { HttpClient } from "@angular/common/http";
import { tap } from "rxjs";

@Injectable({ providedIn: "root" })
export class AuthService {
  constructor(private http: HttpClient) {}

  login(email: string, password: string) {
    return this.http.post<{ token: string }>("/api/login", { email, password }).pipe(
      tap((res) => localStorage.setItem("access_token", res.token)),
    );
  }

  sessionId(): string {
    return Date.now().toString(36) + Math.random().toString(36).substring(2);
  }
}
