import type { Sex } from './cards/card-read';

/**
 * Fictional people for the simulators' "insert a card" demo and for tests. The ID numbers are valid
 * GB 11643 numbers (check characters computed), but the people, addresses and card numbers are invented.
 */
export interface DemoPerson {
  name: string;
  idNumber: string;
  sex: Exclude<Sex, 'unknown'>;
  birthDate: string;
  /** GB 3304 code, '01' = 汉; absent on residence permits. */
  ethnicityCode?: string;
  address: string;
  issuingAuthority: string;
  idValidFrom: string;
  /** 'YYYY-MM-DD' or '长期'. */
  idValidUntil: string;
  documentType: 'resident_id' | 'hmt_residence_permit';
  /** Residence permits only: the travel permit number and how many times it was issued. */
  passNumber?: string;
  issueCount?: string;
  socialSecurity?: {
    cardNumber: string;
    generation: 2 | 3;
    issueDate: string;
    expiryDate: string;
  };
}

export const demoPeople: readonly DemoPerson[] = [
  {
    name: '张堃',
    idNumber: '33030219850412013X',
    sex: 'male',
    birthDate: '1985-04-12',
    ethnicityCode: '01',
    address: '浙江省温州市鹿城区五马街道解放北路12号',
    issuingAuthority: '温州市公安局鹿城分局',
    idValidFrom: '2015-06-01',
    idValidUntil: '2035-06-01',
    documentType: 'resident_id',
    socialSecurity: { cardNumber: 'C33000013', generation: 3, issueDate: '2021-12-03', expiryDate: '2031-12-02' },
  },
  {
    name: '李喆',
    idNumber: '110105199011030250',
    sex: 'male',
    birthDate: '1990-11-03',
    ethnicityCode: '01',
    address: '北京市朝阳区建国路88号院3号楼',
    issuingAuthority: '北京市公安局朝阳分局',
    idValidFrom: '2012-03-15',
    idValidUntil: '2032-03-15',
    documentType: 'resident_id',
    socialSecurity: { cardNumber: 'B11000025', generation: 2, issueDate: '2016-05-10', expiryDate: '2026-05-09' },
  },
  {
    name: '刘䶮',
    idNumber: '440305197802280465',
    sex: 'female',
    birthDate: '1978-02-28',
    ethnicityCode: '01',
    address: '广东省深圳市南山区科技园南区18栋',
    issuingAuthority: '深圳市公安局南山分局',
    idValidFrom: '2024-09-09',
    idValidUntil: '长期',
    documentType: 'resident_id',
    socialSecurity: { cardNumber: 'G44000046', generation: 2, issueDate: '2018-08-20', expiryDate: '2028-08-19' },
  },
  {
    name: '杨𠮷',
    idNumber: '510104200109301286',
    sex: 'female',
    birthDate: '2001-09-30',
    ethnicityCode: '01',
    address: '四川省成都市锦江区红星路三段1号',
    issuingAuthority: '成都市公安局锦江区分局',
    idValidFrom: '2019-10-08',
    idValidUntil: '2029-10-08',
    documentType: 'resident_id',
    socialSecurity: { cardNumber: 'S51000128', generation: 3, issueDate: '2022-01-15', expiryDate: '2032-01-14' },
  },
  {
    name: '欧阳晓雯',
    idNumber: '320102196607010628',
    sex: 'female',
    birthDate: '1966-07-01',
    ethnicityCode: '01',
    address: '江苏省南京市玄武区中山路100号',
    issuingAuthority: '南京市公安局玄武分局',
    idValidFrom: '2016-07-01',
    idValidUntil: '长期',
    documentType: 'resident_id',
    socialSecurity: { cardNumber: 'J32000062', generation: 2, issueDate: '2017-03-01', expiryDate: '2027-02-28' },
  },
  {
    name: '买买提·吐尔逊',
    idNumber: '65010219721215031X',
    sex: 'male',
    birthDate: '1972-12-15',
    ethnicityCode: '05',
    address: '新疆乌鲁木齐市天山区解放南路66号',
    issuingAuthority: '乌鲁木齐市公安局天山区分局',
    idValidFrom: '2018-05-20',
    idValidUntil: '2038-05-20',
    documentType: 'resident_id',
    socialSecurity: { cardNumber: 'X65000031', generation: 3, issueDate: '2020-06-18', expiryDate: '2030-06-17' },
  },
  {
    name: '陈玥',
    idNumber: '810000199505200182',
    sex: 'female',
    birthDate: '1995-05-20',
    address: '广东省深圳市福田区福华路1号',
    issuingAuthority: '深圳市公安局福田分局',
    idValidFrom: '2021-03-01',
    idValidUntil: '2026-03-01',
    documentType: 'hmt_residence_permit',
    passNumber: 'H60123456',
    issueCount: '01',
  },
];
