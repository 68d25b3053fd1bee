import { Body, Controller, Get, Post, Query, Res, UseGuards } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
import { execSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Response } from "express";

const REPORT_DIR = "/var/app/reports";

@UseGuards(AuthGuard("jwt"))
@Controller("reports")
export class ReportsController {
  @Get("download")
  download(@Query("file") file: string, @Res() res: Response) {
    const stream = fs.createReadStream(path.join(REPORT_DIR, file));
    stream.pipe(res);
  }

  @Post("archive")
  archive(@Body("folder") folder: string) {
    const out = execSync("tar czf /tmp/archive.tgz " + folder);
    return { size: out.length };
  }

  @Post("preview")
  preview(@Body() body: { template: string; data: Record<string, unknown> }) {
    const render = new Function("data", "return `" + body.template + "`");
    return { html: render(body.data) };
  }

  @Get("list")
  list() {
    return fs.readdirSync(REPORT_DIR).filter((name) => name.endsWith(".pdf"));
  }
}
