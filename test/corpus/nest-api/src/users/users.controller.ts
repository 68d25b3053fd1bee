import { Body, Controller, Delete, Get, Param, Post, Put, Query, UseGuards } from "@nestjs/common";
import { InjectDataSource, InjectRepository } from "@nestjs/typeorm";
import { DataSource, Repository } from "typeorm";
import { AuthGuard } from "@nestjs/passport";
import { User } from "./user.entity";

@Controller("users")
export class UsersController {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @UseGuards(AuthGuard("jwt"))
  @Get()
  findAll(@Query("sort") sort: string) {
    return this.dataSource.query(`SELECT id, name, email FROM users ORDER BY ${sort}`);
  }

  @UseGuards(AuthGuard("jwt"))
  @Get(":id")
  findOne(@Param("id") id: string) {
    return this.users.findOne({ where: { id: Number(id) } });
  }

  @UseGuards(AuthGuard("jwt"))
  @Get("by-name/:name")
  byName(@Param("name") name: string) {
    return this.users.createQueryBuilder("u").where("u.name = :name", { name }).getMany();
  }

  @UseGuards(AuthGuard("jwt"))
  @Put(":id")
  update(@Param("id") id: string, @Body() body: Partial<User>) {
    return this.users.update(id, body);
  }

  @Delete(":id")
  remove(@Param("id") id: string) {
    return this.users.delete(id);
  }

  @Post()
  create(@Body() body: any) {
    const user = this.users.create(body);
    return this.users.save(user);
  }
}
