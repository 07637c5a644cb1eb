// Reviewers: local profiles (name, role). Every review decision points at one.
import { AppError } from '../../../common/errors'
import type { Reviewer, ReviewerRole } from '../../../common/ipc/calls/review'
import type { Db } from '../db'
import { nowIso } from '../db'
import { audit } from './audit'

const SELECT = 'SELECT id, name, role, created_at AS createdAt FROM reviewers'

export function listReviewers(db: Db): Reviewer[] {
  return db.prepare(`${SELECT} ORDER BY name COLLATE NOCASE`).all() as Reviewer[]
}

export function createReviewer(db: Db, name: string, role: ReviewerRole): Reviewer {
  const clean = name.trim()
  const taken = db.prepare('SELECT id FROM reviewers WHERE name = ? COLLATE NOCASE').get(clean)
  if (taken) {
    throw new AppError('conflict', `A reviewer named "${clean}" already exists.`, 'Choose that profile, or give the new one another name.')
  }
  const id = Number(db.prepare('INSERT INTO reviewers (name, role, created_at) VALUES (?, ?, ?)').run(clean, role, nowIso()).lastInsertRowid)
  audit(db, { actor: clean, action: 'reviewer.create', entity: 'reviewer', entityId: id, details: { role } })
  return getReviewer(db, id)
}

export function getReviewer(db: Db, id: number): Reviewer {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id) as Reviewer | undefined
  if (!row) throw new AppError('not_found', `There is no reviewer ${id}.`, 'Choose a reviewer profile on the Review page, or create one.')
  return row
}
