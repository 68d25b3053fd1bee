import { Module } from "@nestjs/common";
import { JwtModule } from "@nestjs/jwt";
import { PassportModule } from "@nestjs/passport";
import { randomBytes } from "crypto";

@Module({
  imports: [
    PassportModule,
    JwtModule.register({
      secret: "nest-demo-jwt-secret-123",
    }),
  ],
})
export class AuthModule {}

export function newRefreshToken(): string {
  return randomBytes(48).toString("hex");
}

export function newInviteCode(): string {
  return Math.random().toString(36).slice(2, 10);
}
