#!/usr/bin/env python3
"""Reads configuration cases the way an ASAB application's asab.Config reads its files, on Python's own configparser,
and prints the result as JSON, for AsabConfigDifferentialTest to compare with reactive-zk's reading.

    asab_loader.py CASE_DIR...

A case directory holds main.conf (the file ASAB_CONFIG or -c would name), the files it includes, and optionally
`environment` (NAME=VALUE lines: the whole process environment for the case). Each case is read with the case
directory as the working directory, as ASAB resolves includes against it.

The rules are ASAB's (asab/config.py): a ConfigParser with extended interpolation whose before_read expands
environment variables with THIS_DIR set to the directory of the file being read; the main file, then the default of
[zookeeper] servers from ASAB_ZOOKEEPER_SERVERS where the main file does not set it, then [general] include, depth
first, each file once. ASAB's other built-in defaults are left out, as reactive-zk leaves them out.
"""
import configparser
import glob
import json
import os
import sys


class FileInterpolation(configparser.ExtendedInterpolation):

    def __init__(self, directories):
        super().__init__()
        self.directories = directories

    def before_read(self, parser, section, option, value):
        if '$' in value:
            os.environ['THIS_DIR'] = os.path.abspath(self.directories[-1])
            value = os.path.expandvars(value)
        return value


def read_file(parser, directories, path):
    directories.append(os.path.dirname(path))
    try:
        parser.read(path, encoding='utf-8')
    finally:
        directories.pop()


def load(main, environment):
    directories = []
    parser = configparser.ConfigParser(interpolation=FileInterpolation(directories))
    if not os.path.isfile(main):
        raise FileNotFoundError(main)
    read_file(parser, directories, main)

    if not parser.has_section('general'):
        parser.add_section('general')
    servers = environment.get('ASAB_ZOOKEEPER_SERVERS')
    if servers is not None:
        if not parser.has_section('zookeeper'):
            parser.add_section('zookeeper')
        if 'servers' not in parser._sections['zookeeper']:
            parser.set('zookeeper', 'servers', os.path.expandvars(servers) if '$' in servers else servers)

    seen = set()

    def walk(includes):
        separator = '\n' if '\n' in includes else ' '
        for pattern in includes.split(separator):
            pattern = pattern.strip()
            if not pattern:
                continue
            if pattern.startswith('zookeeper'):
                raise NotImplementedError('a zookeeper include is not part of the file corpus')
            for match in glob.glob(os.path.expandvars(pattern)):
                match = os.path.abspath(match)
                if match in seen:
                    continue
                seen.add(match)
                parser.set('general', 'include', '')
                read_file(parser, directories, match)
                walk(parser.get('general', 'include', fallback=''))

    walk(parser.get('general', 'include', fallback=''))
    return parser


def lines_of(error):
    number = getattr(error, 'lineno', None)
    if number is not None:
        return [number]
    if isinstance(error, configparser.ParsingError):
        return [number for number, _ in error.errors]
    return []


def run(case):
    environment = {}
    path = os.path.join(case, 'environment')
    if os.path.exists(path):
        with open(path, encoding='utf-8') as lines:
            for line in lines.read().splitlines():
                if line:
                    name, value = line.split('=', 1)
                    environment[name] = value
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(case)
    try:
        parser = load('main.conf', dict(environment))
    except Exception as error:  # every failure of the load is the result of the case
        return {'error': type(error).__name__ + ': ' + str(error), 'lines': lines_of(error)}
    sections = {}
    failures = {}
    for name in parser.sections():
        try:
            sections[name] = dict(parser.items(name))
        except Exception as error:
            failures[name] = type(error).__name__ + ': ' + str(error)
    return {'sections': sections, 'failures': failures}


def main(cases):
    start = os.getcwd()
    results = {}
    for case in cases:
        os.chdir(start)
        results[os.path.basename(os.path.normpath(case))] = run(os.path.abspath(case))
    json.dump(results, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)


if __name__ == '__main__':
    main(sys.argv[1:])
