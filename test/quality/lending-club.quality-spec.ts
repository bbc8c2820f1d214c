import { describeBinaryQuality } from './binary-quality';

describeBinaryQuality({
  file: 'lending_club.csv',
  target: 'Class',
  positiveClass: 'bad',
  minRocAuc: 0.72,
});
