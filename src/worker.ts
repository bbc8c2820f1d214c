// Worker entry point: queue processors and schedulers, no HTTP (same image, APP_ROLE=worker).
process.env.APP_ROLE = 'worker';
void import('./main');
