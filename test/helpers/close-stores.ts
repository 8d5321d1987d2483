// Setup file of every test file: stores the helpers opened are closed when the file ends.
import { afterAll } from 'vitest';
import { closeTestStores } from './db.js';

afterAll(closeTestStores);
