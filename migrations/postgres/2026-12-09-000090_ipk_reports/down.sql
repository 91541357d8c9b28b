DROP TABLE ipk_signoffs;
DROP TABLE ipk_stocks;
