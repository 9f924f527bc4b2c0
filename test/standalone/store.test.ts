import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {maskedDatabaseUrl} from '../../standalone/store.js'

describe('maskedDatabaseUrl', () => {
  it('hides the password and keeps where the database is', () => {
    assert.equal(maskedDatabaseUrl('postgres://iv:s3cret@db.internal:5432/iv?sslmode=require'), 'postgres://iv:***@db.internal:5432/iv?sslmode=require')
    assert.equal(maskedDatabaseUrl('postgres://iv@db.internal/iv'), 'postgres://iv@db.internal/iv')
    assert.doesNotMatch(maskedDatabaseUrl('not a url with s3cret'), /s3cret/)
  })
})
