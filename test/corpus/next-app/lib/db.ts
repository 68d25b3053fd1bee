import { Pool } from "pg";

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export async function findUserByName(name: string) {
  const { rows } = await pool.query(`SELECT id, name, bio FROM users WHERE name = '${name}'`);
  return rows[0];
}

export async function findUserById(id: string) {
  const { rows } = await pool.query("SELECT id, name, bio FROM users WHERE id = $1", [id]);
  return rows[0];
}
