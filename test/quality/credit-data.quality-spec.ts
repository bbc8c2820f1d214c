import { describeBinaryQuality } from './binary-quality';

describeBinaryQuality({
  file: 'credit_data.csv',
  target: 'Status',
  positiveClass: 'bad',
  minRocAuc: 0.83,
});
