import { expect } from 'chai';
import { UserError } from '../../../src/cli/errors.js';
import { fetchAllPages } from '../../../src/api/paginate.js';
import { systemOf } from '../../../src/api/symbols.js';

describe('api/symbols: systemOf', () => {
  it('drops the last dash-part of a waypoint symbol', () => {
    expect(systemOf('X1-AD75-A1')).to.equal('X1-AD75');
    expect(systemOf('X1-AD75-H52')).to.equal('X1-AD75');
  });
  it('refuses what is not a waypoint symbol with a UserError', () => {
    for (const bad of ['X1-AD75', 'A1', '', 'X1--A1']) expect(() => systemOf(bad), bad).to.throw(UserError);
  });
});

describe('api/paginate: fetchAllPages', () => {
  const source = (total: number) => {
    const asked: number[] = [];
    const items = Array.from({ length: total }, (_, i) => i);
    const fetchPage = async (page: number, limit: number) => {
      asked.push(page);
      return { data: items.slice((page - 1) * limit, page * limit), meta: { total, page, limit } };
    };
    return { asked, fetchPage };
  };

  it('fetches every page, in order, and stops at the total', async () => {
    const s = source(45);
    expect(await fetchAllPages(s.fetchPage)).to.deep.equal(Array.from({ length: 45 }, (_, i) => i));
    expect(s.asked).to.deep.equal([1, 2, 3]);
  });
  it('asks one page for an empty or exact list', async () => {
    const e = source(0);
    expect(await fetchAllPages(e.fetchPage)).to.deep.equal([]);
    expect(e.asked).to.deep.equal([1]);
    const x = source(40);
    expect((await fetchAllPages(x.fetchPage)).length).to.equal(40);
    expect(x.asked).to.deep.equal([1, 2]);
  });
  it('is bounded when a server keeps claiming more', async () => {
    let n = 0;
    const out = await fetchAllPages(async (page, limit) => ({ data: [n++], meta: { total: 1e9, page, limit } }), { maxPages: 7 });
    expect(out.length).to.equal(7);
  });
});
