<!doctype html><html lang=en></html>
