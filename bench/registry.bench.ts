import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import type { ParamsOf } from '#shared/api/contract';
import { creditCodeCheckCharacter } from '#shared/domain/identity/credit-code';
import { STORE_FILE } from '#core/index';
import { nameInitials } from '#core/registry/initials';
import { openStore } from '#core/store/open';
import { startTestCore, tempDir } from '#core/testing/fixture';
import { makeIdNumber } from '#core/testing/id-numbers';
import { runGroup } from './harness';

const PERSONS = 1_000_000;
const EMPLOYERS = 10_000;

/** Common family names with their rough share in percent (census order), so prefixes hit realistic crowds. */
const FAMILY_NAMES: readonly [string, number][] = (
  '王7.1 李7.0 张6.6 刘5.4 陈4.6 杨3.1 黄2.2 赵2.0 吴1.9 周1.9 徐1.5 孙1.5 马1.4 朱1.3 胡1.2 郭1.1 何1.1 林1.0 高1.0 ' +
  '罗0.9 郑0.8 梁0.8 谢0.7 宋0.6 唐0.6 许0.6 韩0.6 冯0.5 邓0.5 曹0.5 彭0.5 曾0.5 肖0.5 田0.4 董0.4 袁0.4 潘0.4 于0.4 ' +
  '蒋0.4 蔡0.4 余0.4 杜0.3 叶0.3 程0.3 苏0.3 魏0.3 吕0.3 丁0.3 任0.3 沈0.3 姚0.3 卢0.3 姜0.3 崔0.2 钟0.2 谭0.2 陆0.2 ' +
  '汪0.2 范0.2 金0.2 石0.2 廖0.2 贾0.2 夏0.2 韦0.2 方0.2 白0.2 邹0.2 孟0.2 熊0.2 秦0.2 邱0.2 江0.2 尹0.2 薛0.1 段0.1 ' +
  '雷0.1 侯0.1 龙0.1 史0.1 陶0.1 贺0.1 顾0.1 毛0.1 郝0.1 龚0.1 邵0.1 钱0.1 严0.1 武0.1 戴0.1 孔0.1 汤0.1 欧阳0.03 司马0.01'
)
  .split(' ')
  .map((entry) => [entry.replace(/[\d.]+$/, ''), Number(entry.replace(/^\D+/, ''))]);
/**
 * Characters common in given names. None is read differently inside a name than alone (checked against
 * nameInitials on whole names), so initials are computed once per character instead of a million times.
 */
const GIVEN_CHARS = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英霞平刚桂兰华玉萍红建国文辉力鹏飞斌波宇浩凯健俊帆旭宁欢佳慧晨婷雪琳晶燕玲梅莉倩颖琪欣怡雨思梓涵子轩博睿泽然诺依晓小志海春秋冬永德新云青美淑振家庆荣昌福贵成东峰岩松柏宏亮光锋泉鑫彬雯丹晴薇蕾莹璐瑶嘉安正天',
];
const REGIONS = ['330106', '330102', '330105', '330108', '330110', '110105', '310115', '320102', '440106', '510107', '420106', '610113'];
const EMPLOYER_WORDS = ['宏达', '华盛', '新世纪', '恒信', '东方', '金桥', '天成', '博远', '联创', '青山'];
const EMPLOYER_TRADES = ['科技有限公司', '贸易有限公司', '建筑工程有限公司', '餐饮管理有限公司', '物流有限公司', '商贸中心'];

/** mulberry32: a small seeded generator, so every run builds the same registry. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Samples {
  personIds: string[];
  idNumbers: string[];
  namePrefixes: string[];
  initials: string[];
}

/**
 * Writes employers and persons straight into an existing store in one transaction through prepared inserts:
 * a fixture, not business, so no commands. Returns the search terms of every 200th person.
 */
function fillRegistry(file: string): Samples {
  const rnd = random(4);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const initialsOf = new Map([...FAMILY_NAMES.map(([f]) => f), ...GIVEN_CHARS].map((s) => [s, nameInitials(s)]));
  const totalShare = FAMILY_NAMES.reduce((sum, [, share]) => sum + share, 0);
  const familyName = () => {
    let r = rnd() * totalShare;
    for (const [name, share] of FAMILY_NAMES) if ((r -= share) < 0) return name;
    return FAMILY_NAMES[0]![0];
  };
  const samples: Samples = { personIds: [], idNumbers: [], namePrefixes: [], initials: [] };
  const at = new Date().toISOString();

  const db = openStore(file);
  // Room for the indexes while a million random keys go in; the WAL is folded into the file afterwards.
  db.pragma('cache_size = -1000000');
  const insertEmployer = db.prepare(
    `INSERT INTO employer (id, credit_code, name, name_initials, phone, address, risk_class, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPerson = db.prepare(
    `INSERT INTO person (id, id_number, id_kind, name, name_initials, sex, birth_date, phone, address, card_number, employer_id,
       created_at, updated_at) VALUES (?, ?, 'resident_id', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    const employerIds: string[] = [];
    for (let i = 0; i < EMPLOYERS; i++) {
      const id = uuidv7();
      const body = `91${pick(REGIONS)}${String(i).padStart(9, '0')}`;
      const name = `杭州${pick(EMPLOYER_WORDS)}${String(i)}${pick(EMPLOYER_TRADES)}`;
      insertEmployer.run(
        id,
        body + creditCodeCheckCharacter(body),
        name,
        nameInitials(name),
        '0571-88880000',
        '杭州市西湖区文三路',
        1 + (i % 8),
        at,
        at,
      );
      employerIds.push(id);
    }
    const taken = new Set<string>();
    for (let i = 0; i < PERSONS; i++) {
      let idNumber: string;
      let birth: string;
      let sequence: number;
      do {
        birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(rnd() * 21_000))).toISOString().slice(0, 10);
        sequence = Math.floor(rnd() * 1000);
        idNumber = makeIdNumber(pick(REGIONS), birth, sequence);
      } while (taken.has(idNumber));
      taken.add(idNumber);
      const given = rnd() < 0.2 ? [pick(GIVEN_CHARS)] : [pick(GIVEN_CHARS), pick(GIVEN_CHARS)];
      const family = familyName();
      const name = family + given.join('');
      const initials = [family, ...given].map((part) => initialsOf.get(part)!).join('');
      const id = uuidv7();
      insertPerson.run(
        id,
        idNumber,
        name,
        initials,
        sequence % 2 === 1 ? 'male' : 'female',
        birth,
        rnd() < 0.85 ? `1${3 + Math.floor(rnd() * 7)}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}` : null,
        rnd() < 0.5 ? `杭州市西湖区文新街道${1 + Math.floor(rnd() * 300)}号` : null,
        rnd() < 0.7 ? `C${String(i).padStart(8, '0')}` : null,
        rnd() < 0.6 ? pick(employerIds) : null,
        at,
        at,
      );
      if (i % 200 === 0) {
        samples.personIds.push(id);
        samples.idNumbers.push(idNumber);
        samples.namePrefixes.push(name.slice(0, 2));
        samples.initials.push(initials);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return samples;
}

/** Cycles through a list, so consecutive lookups hit different pages. */
const cycle = <T>(list: readonly T[]) => {
  let i = 0;
  return () => list[i++ % list.length]!;
};

/**
 * The counter's hot paths against a registry of a million persons: search through the real dispatcher
 * (registry.search as the UI calls it) and a whole case acceptance, durable, against a raw insert of a case row.
 */
export async function registryBench(): Promise<string> {
  const dir = tempDir('yichuang-bench-registry-');
  try {
    const started = performance.now();
    // Station and accounts come from the demo seed; the million persons are added behind the closed core.
    (await startTestCore({ dataDir: dir })).core.close();
    const samples = fillRegistry(join(dir, STORE_FILE));
    const built = `Registry of ${PERSONS.toLocaleString('en')} persons and ${EMPLOYERS.toLocaleString('en')} employers built in ${((performance.now() - started) / 1000).toFixed(1)} s.`;

    const t = await startTestCore({ dataDir: dir });
    // The baseline: a case row of the same size into the same table of a store opened the same way (WAL, FULL).
    const raw = openStore(join(dir, 'raw.db'));
    try {
      const teller = await t.loggedIn('teller', 1);
      const personId = cycle(samples.personIds);
      const idNumber = cycle(samples.idNumbers);
      const namePrefix = cycle(samples.namePrefixes);
      const initials = cycle(samples.initials);

      const rawInsert = raw.prepare(
        `INSERT INTO case_file (id, case_no, business_date, item_code, sub_item_code, sub_item_name, status, review_level, accepted_by,
           reviewed_by, accepted_at, accepted_window, promised_date, form_json, materials_json, updated_at)
         VALUES (?, ?, '2026-11-30', 'D', 'D1', '个人关键信息变更', 'pending_review', 2, ?, '[]', ?, 1, '2026-12-07', ?, ?, ?)`,
      );
      const form = JSON.stringify({
        idNumber: samples.idNumbers[0],
        name: '陈建国',
        changedField: 'name',
        oldValue: '陈建囯',
        newValue: '陈建国',
      });
      const materials = JSON.stringify([
        { code: 'ID', name: '居民身份证', status: 'received' },
        { code: 'PROOF', name: '变更证明', status: 'data_check' },
      ]);
      let n = 0;
      const acceptD1 = (personId: string): ParamsOf<'case.accept'> => ({
        subItemCode: 'D1',
        personId,
        materials: [
          { code: 'ID', status: 'received' },
          { code: 'PROOF', status: 'data_check' },
        ],
        form: { changedField: 'name', oldValue: '陈建囯', newValue: '陈建国' },
      });

      const table = await runGroup(
        `Counter: registry of ${PERSONS.toLocaleString('en')} persons, case acceptance`,
        [
          { name: 'search by full ID number', fn: () => teller.call('registry.search', { query: idNumber() }), budgetP99Ms: 2 },
          {
            name: 'search by name prefix (2 characters)',
            fn: () => teller.call('registry.search', { query: namePrefix() }),
            budgetP99Ms: 10,
          },
          { name: 'search by pinyin initials', fn: () => teller.call('registry.search', { query: initials() }) },
          {
            name: 'raw case row insert (durable commit)',
            fn: () => {
              const at = new Date().toISOString();
              return rawInsert.run(uuidv7(), `RAW-${n++}`, '["teller"]', at, form, materials, at);
            },
          },
          {
            name: 'case.accept through the dispatcher (durable)',
            fn: () => teller.call('case.accept', acceptD1(personId())),
            baseline: 'raw case row insert (durable commit)',
            budgetP99Ms: 5,
          },
        ],
        { time: 2000, iterations: 50 },
      );
      return `${built}\n\n${table}`;
    } finally {
      raw.close();
      t.core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
